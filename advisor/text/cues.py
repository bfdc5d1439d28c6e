"""Cue words for how the person trains and what goes wrong: regime, sparse ID features,
priority, symptoms, and the negations that cancel them. Data only.

A cue's weight matters where cues disagree: "fine-tune" (HIGH) outweighs a bare "pre-training"
(MID) in "fine-tune a pre-trained BERT"; cues of equal weight that disagree cancel out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from advisor.task import Priority, Regime, Symptom
from advisor.text.patterns import LatinWords, Matcher, en, zh
from advisor.text.terms import Weight

ValueT = TypeVar("ValueT")


@dataclass(frozen=True, slots=True)
class Cue(Generic[ValueT]):
    """Words that, unless negated, say ``value``."""

    pattern: Matcher
    value: ValueT
    weight: Weight = Weight.HIGH


def _words(pattern: str) -> LatinWords:
    """English phrase whose inflections are spelled out in the pattern (no plural 's')."""
    return en(pattern, plural=False)


REGIME_CUES: tuple[Cue[Regime], ...] = (
    Cue(_words(r"fine[- ]?tun(?:e|es|ed|ing)|finetun(?:e|es|ed|ing)"), Regime.FINE_TUNING),
    Cue(_words(r"q?lora|peft|adapters?|(?:prompt|prefix|adapter) tuning"), Regime.FINE_TUNING),
    Cue(_words(r"transfer learning|linear prob(?:e|es|ing)"), Regime.FINE_TUNING),
    Cue(zh(r"微调|精调|迁移学习"), Regime.FINE_TUNING),
    Cue(
        _words(r"pre-?trained(?: backbone| model| weights| checkpoint| encoder)?"),
        Regime.FINE_TUNING,
        Weight.MID,
    ),
    Cue(zh(r"预训练(?:好)?的|预训练(?:模型|权重|参数)|加载预训练"), Regime.FINE_TUNING, Weight.MID),
    Cue(
        _words(r"from scratch|random(?:ly)? initiali[sz](?:ed|ation)|random init"),
        Regime.FROM_SCRATCH,
    ),
    Cue(zh(r"从头(?:开始)?训练?|从零(?:开始)?训练|随机初始化"), Regime.FROM_SCRATCH),
    Cue(_words(r"pre-?train(?:s|ing)?"), Regime.FROM_SCRATCH, Weight.MID),
    Cue(zh(r"预训练"), Regime.FROM_SCRATCH, Weight.MID),
)

SPARSE_CUES: tuple[Cue[bool], ...] = (
    Cue(en(r"sparse (?:id |categorical )?(?:feature|input|id|gradient)"), True),
    Cue(en(r"(?:user|item|product|movie|ad)[ _-]?ids?(?: embedding)?"), True),
    Cue(en(r"one-?hot(?: encoded)?(?: id| feature| categor(?:y|ie))|hashed (?:id|feature)"), True),
    Cue(en(r"categorical (?:id|feature)|id feature|high[- ]cardinality"), True),
    Cue(zh(r"稀疏特征|稀疏(?:输入|数据|id|梯度)|(?:用户|商品|物品|广告)\s*ids?"), True),
    Cue(zh(r"id\s*类?特征|类别特征|离散特征"), True),
)

PRIORITY_CUES: tuple[Cue[Priority], ...] = (
    Cue(
        _words(r"quickly|(?:fast|quick)(?:er)? convergence|converges? (?:fast|quickly)|deadline"),
        Priority.FAST_CONVERGENCE,
    ),
    Cue(
        _words(r"time is (?:short|tight|limited)|short on time|limited time|in a hurry|asap"),
        Priority.FAST_CONVERGENCE,
    ),
    Cue(_words(r"as (?:fast|soon|quickly) as possible"), Priority.FAST_CONVERGENCE),
    Cue(
        zh(r"时间(?:很|非常|比较)?紧(?:迫|张)?|快速收敛|尽快|赶时间|越快越好|时间有限"),
        Priority.FAST_CONVERGENCE,
    ),
    Cue(
        _words(r"best (?:possible )?(?:accuracy|results?|performance|generali[sz]ation|score)"),
        Priority.BEST_GENERALIZATION,
    ),
    Cue(
        _words(r"final (?:accuracy|performance|score)|highest accuracy|max(?:imum)? accuracy"),
        Priority.BEST_GENERALIZATION,
    ),
    Cue(
        _words(r"sota|state[- ]of[- ]the[- ]art|leaderboards?|generali[sz](?:e|es|ation)"),
        Priority.BEST_GENERALIZATION,
    ),
    Cue(
        zh(r"刷榜|追求最优|最好(?:的)?效果|效果最好|最优效果|泛化|最终(?:精度|准确率|效果)"),
        Priority.BEST_GENERALIZATION,
    ),
    Cue(zh(r"最高(?:的)?(?:精度|准确率)|(?:精度|准确率)最高"), Priority.BEST_GENERALIZATION),
    Cue(_words(r"unsure|not sure|both|balanced?|trade-?off"), Priority.BALANCED),
    Cue(zh(r"不确定|都要|兼顾|平衡|两者都"), Priority.BALANCED),
)

_LOSS_EN = r"(?:loss|error|training loss|train loss)"
_NOT_EN = r"(?:not|never|barely|hardly|doesn't|does not|won't|isn't|didn't|did not|stopped)"
_LOSS_ZH = r"(?:loss|损失|误差|损失函数)(?:值)?\s*"

SYMPTOM_CUES: tuple[Cue[Symptom], ...] = (
    Cue(_words(r"over-?fit(?:s|ting|ted)?"), Symptom.OVERFITTING),
    Cue(
        _words(
            r"(?:val(?:idation)?|dev|test) (?:loss|error) (?:goes up|going up|increas\w*|ris\w*)"
        ),
        Symptom.OVERFITTING,
    ),
    Cue(zh(r"过拟合|过度拟合|泛化(?:能力)?(?:差|不好|很差)"), Symptom.OVERFITTING),
    Cue(
        zh(r"验证集?(?:上的)?\s*(?:loss|损失|误差)\s*(?:上升|变大|升高|增加)"), Symptom.OVERFITTING
    ),
    Cue(
        _words(r"oscillat(?:e|es|ed|ing|ions?)|unstable(?: training| loss)?|zig-?zag\w*"),
        Symptom.OSCILLATION,
    ),
    Cue(
        _words(rf"{_LOSS_EN} (?:is )?(?:jump(?:s|ing) around|bounc\w*|fluctuat\w*|noisy|erratic)"),
        Symptom.OSCILLATION,
    ),
    Cue(_words(r"fluctuat(?:e|es|ed|ing|ions?)|bounces? around"), Symptom.OSCILLATION),
    Cue(zh(r"震荡|振荡|波动|抖动|(?:很|非常)?不稳定|来回跳"), Symptom.OSCILLATION),
    Cue(
        _words(r"slow(?:ly)? converg\w*|converg\w* (?:is )?(?:too |very |really )?slow(?:ly)?"),
        Symptom.SLOW_CONVERGENCE,
    ),
    Cue(
        _words(r"slow to converge|takes forever to converge|learns? (?:too |very )?slowly"),
        Symptom.SLOW_CONVERGENCE,
    ),
    Cue(
        zh(r"收敛(?:速度)?(?:太|很|非常|比较|特别|有点|过于)?(?:慢|缓慢)|学得(?:太|很)?慢"),
        Symptom.SLOW_CONVERGENCE,
    ),
    Cue(
        _words(
            rf"{_LOSS_EN} (?:is |has )?{_NOT_EN} (?:go(?:ing|es)? down|decreas\w*|drop\w*|"
            r"improv\w*|fall\w*|mov\w*|chang\w*)"
        ),
        Symptom.LOSS_NOT_DECREASING,
    ),
    Cue(
        _words(rf"{_LOSS_EN} (?:is |has |gets )?(?:stuck|flat|plateau\w*|stagnat\w*)"),
        Symptom.LOSS_NOT_DECREASING,
    ),
    Cue(
        _words(rf"{_LOSS_EN} (?:stays|remains) (?:flat|the same|constant|high)"),
        Symptom.LOSS_NOT_DECREASING,
    ),
    Cue(
        _words(r"(?:doesn't|does not|won't|isn't|not|never|fails? to|failed to) converg\w*"),
        Symptom.LOSS_NOT_DECREASING,
    ),
    Cue(
        zh(
            rf"{_LOSS_ZH}(?:一直|始终|总是|就是|完全|基本|几乎)?\s*(?:不|没有?)\s*"
            r"(?:下降|降|减少|减小|变化|变|动)"
        ),
        Symptom.LOSS_NOT_DECREASING,
    ),
    Cue(
        zh(r"降不下去|下不去|不收敛|无法收敛|没有收敛|不下降|卡住不动"), Symptom.LOSS_NOT_DECREASING
    ),
    Cue(
        _words(r"(?:loss )?spik(?:e|es|ed|ing|y)|loss (?:suddenly )?(?:jumps|explodes|blows up)"),
        Symptom.LOSS_SPIKES,
    ),
    Cue(
        _words(r"(?:loss )?(?:is|becomes|goes|turns)(?: to)? (?:nan|inf)|nan loss"),
        Symptom.LOSS_SPIKES,
    ),
    Cue(
        _words(r"exploding gradients?|gradient explosion|diverg(?:e|es|ed|ing|ence)"),
        Symptom.LOSS_SPIKES,
    ),
    Cue(
        zh(r"突增|尖峰|突然(?:变大|飙升|暴涨|上升|增大)|飙升|暴涨|梯度爆炸|发散"),
        Symptom.LOSS_SPIKES,
    ),
    Cue(zh(rf"{_LOSS_ZH}(?:一直|突然)?\s*(?:是|为|变成|出现|变为)\s*nan"), Symptom.LOSS_SPIKES),
    Cue(
        _words(r"vanishing gradients?|gradients? vanish(?:es|ing)?|gradient vanishing"),
        Symptom.VANISHING_GRADIENTS,
    ),
    Cue(zh(r"梯度消失|梯度弥散"), Symptom.VANISHING_GRADIENTS),
)

#: A negation ends the clause before a cue: "no overfitting", "without sparse features",
#: "没有过拟合", "并未出现震荡". English allows two words between ("no sign of overfitting"),
#: Chinese four characters; a bare 不 must touch the cue ("数据不多容易过拟合" still overfits).
NEGATED_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:no|not|never|without|hardly|barely|isn't|aren't|wasn't|weren't|doesn't"
    r"|don't|didn't|hasn't|haven't|won't|cannot|can't|nor|avoid(?:s|ed|ing)?|prevent(?:s|ed|ing)?)"
    r"(?:\s+[a-z'-]+){0,2}\s*"
    r"|(?:没有|没|未|无|并未|从未|不会|避免|防止).{0,4}|不(?:是|太|算|怎么)?)$"
)
#: Questions are suspicions, not negations: "是不是过拟合了", "有没有过拟合".
QUESTION_FORMS = re.compile(r"是不是|是否|会不会|有没有|能不能")
#: A negation after the cue: "overfitting is not an issue", "过拟合不严重".
NEGATED_AFTER = re.compile(
    r"\s*(?:(?:is|was|are|were)(?:\s+not|n't)(?![a-z])|不是问题|不严重|不明显|没问题|还好)"
)
