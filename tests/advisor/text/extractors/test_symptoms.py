"""Symptoms: the words for each, and the negations that cancel them."""

from __future__ import annotations

import pytest

from tests.advisor.text.reading_of import said


@pytest.mark.parametrize(
    ("text", "symptom", "evidence"),
    [
        ("the model is overfitting", "overfitting", "overfitting"),
        ("it overfits after epoch 5", "overfitting", "overfits"),
        ("validation loss goes up", "overfitting", "validation loss goes up"),
        ("过拟合了", "overfitting", "过拟合"),
        ("過擬合嚴重", "overfitting", "過擬合"),
        ("验证集loss上升", "overfitting", "验证集loss上升"),
        ("the loss oscillates", "oscillation", "oscillates"),
        ("oscillating loss", "oscillation", "oscillating"),
        ("unstable loss", "oscillation", "unstable loss"),
        ("loss 震荡", "oscillation", "震荡"),
        ("訓練震盪", "oscillation", "震盪"),
        ("slow convergence", "slow_convergence", "slow convergence"),
        ("it converges slowly", "slow_convergence", "converges slowly"),
        ("收敛慢", "slow_convergence", "收敛慢"),
        ("收敛速度太慢", "slow_convergence", "收敛速度太慢"),
        ("loss not decreasing", "loss_not_decreasing", "loss not decreasing"),
        ("the loss doesn't go down", "loss_not_decreasing", "loss doesn't go down"),
        ("the loss doesn’t go down", "loss_not_decreasing", "loss doesn’t go down"),
        ("the loss is stuck", "loss_not_decreasing", "loss is stuck"),
        ("loss不下降", "loss_not_decreasing", "loss不下降"),
        ("loss 不降", "loss_not_decreasing", "loss 不降"),
        ("损失一直不下降", "loss_not_decreasing", "损失一直不下降"),
        ("loss spikes", "loss_spikes", "loss spikes"),
        ("spiky loss", "loss_spikes", "spiky"),
        ("loss 突增", "loss_spikes", "突增"),
        ("loss曲线有尖峰", "loss_spikes", "尖峰"),
        ("loss becomes NaN", "loss_spikes", "loss becomes NaN"),
        ("the loss is nan after 300 steps", "loss_spikes", "loss is nan"),
        ("loss 一直是 nan", "loss_spikes", "loss 一直是 nan"),
        ("exploding gradients", "loss_spikes", "exploding gradients"),
        ("the loss jumps around", "oscillation", "loss jumps around"),
        ("vanishing gradients", "vanishing_gradients", "vanishing gradients"),
        ("梯度消失", "vanishing_gradients", "梯度消失"),
        # Questions are suspicions, not denials; a 不 that does not touch the word denies nothing.
        ("是不是过拟合了？", "overfitting", "过拟合"),
        ("数据不多容易过拟合", "overfitting", "过拟合"),
        ("I don't know why it overfits", "overfitting", "overfits"),
    ],
)
def test_symptom_words(text: str, symptom: str, evidence: str) -> None:
    assert said(text, ["symptoms"]) == {"symptoms": ([symptom], evidence)}


@pytest.mark.parametrize(
    "text",
    [
        "no overfitting",
        "not overfitting",
        "without overfitting",
        "no sign of overfitting",
        "it isn't overfitting",
        "overfitting is not an issue",
        "没有过拟合",
        "没有明显的过拟合",
        "并未出现震荡",
        "不过拟合",
        "过拟合不严重",
        "to avoid overfitting",
        "防止过拟合",
    ],
)
def test_denied_symptoms_are_not_read(text: str) -> None:
    assert said(text, ["symptoms"]) == {}


@pytest.mark.parametrize(
    ("text", "symptoms", "evidence"),
    [
        (
            "it overfits and the loss oscillates",
            ["overfitting", "oscillation"],
            "overfits and the loss oscillates",
        ),
        ("no overfitting but the loss oscillates", ["oscillation"], "oscillates"),
        ("没有过拟合，但是loss震荡", ["oscillation"], "震荡"),
        ("模型没有明显的过拟合，就是收敛太慢", ["slow_convergence"], "收敛太慢"),
        (
            "Loss spikes early on. Much later, vanishing gradients; loss spikes again.",
            ["loss_spikes", "vanishing_gradients"],
            "Loss spikes; vanishing gradients; loss spikes",
        ),
    ],
)
def test_several_symptoms_in_order_of_first_mention(
    text: str, symptoms: list[str], evidence: str
) -> None:
    assert said(text, ["symptoms"]) == {"symptoms": (symptoms, evidence)}
