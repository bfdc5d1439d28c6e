"""Words for what the person trains with now: optimizer names, hyperparameter values, schedules,
and the cues that say a named optimizer is theirs rather than one they ask about. Data only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.config import ScheduleName
from advisor.families import OptimizerName
from advisor.text.patterns import Matcher, en, zh

O = OptimizerName  # noqa: E741 -- a short alias keeps the table readable


@dataclass(frozen=True, slots=True)
class OptimizerTerm:
    pattern: Matcher
    optimizer: OptimizerName


OPTIMIZER_NAMES: tuple[OptimizerTerm, ...] = (
    OptimizerTerm(en(r"adamw|adam-w|adam with (?:decoupled )?weight decay"), O.ADAMW),
    OptimizerTerm(en(r"nadamw?"), O.NADAM),
    OptimizerTerm(en(r"radam"), O.RADAM),
    OptimizerTerm(en(r"sparse ?adam"), O.SPARSE_ADAM),
    OptimizerTerm(en(r"adam"), O.ADAM),
    OptimizerTerm(en(r"adafactor"), O.ADAFACTOR),
    OptimizerTerm(en(r"muon"), O.MUON),
    OptimizerTerm(en(r"adagrad"), O.ADAGRAD),
    OptimizerTerm(en(r"rms-?prop"), O.RMSPROP),
    OptimizerTerm(
        en(r"nesterov(?: momentum| sgd)?|sgd with nesterov(?: momentum)?|nag"), O.NESTEROV
    ),
    OptimizerTerm(
        en(r"sgdm|sgd ?\+ ?momentum|sgd with momentum|momentum sgd|heavy[- ]ball"), O.MOMENTUM
    ),
    OptimizerTerm(zh(r"带动量的\s*sgd|动量\s*sgd|sgd\s*\+\s*动量|动量法"), O.MOMENTUM),
    OptimizerTerm(en(r"sgd|stochastic gradient descent"), O.SGD),
    OptimizerTerm(zh(r"随机梯度下降"), O.SGD),
)

#: Before an optimizer name (same clause), these make it the one in use ("I use SGD",
#: "目前用 Adam", "switching from Adam", "lr 0.1 SGD").
IN_USE_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:use|uses|using|used|currently|current|now|with|from|tried|trained|training"
    r"|optimizer(?: is)?\s*[:=]?|run|running|lr|learning rate|momentum)"
    r"|用|使用|采用|目前|现在|当前|在用|优化器|选了|选的是|试了|学习率|动量)"
)
#: ...unless the clause asks about it instead ("should I use Adam", "换成Adam", "Adam还是SGD").
ASKED_BEFORE = re.compile(
    r"(?<![a-z])(?:should|shall|could|would|try|trying|switch(?:ing)? to|change to|move to|"
    r"instead of|or|vs\.?|versus|compare|comparing|between|recommend\w*)(?![a-z])"
    r"|换成|改用|换用|试试|尝试|还是|或者|应该|是否|要不要|推荐|对比|比较"
)
ASKED_AFTER = re.compile(r"\s*(?:or|vs\.?|versus)(?![a-z])|\s*(?:还是|或者|或|好不好|行不行)")
#: Hyperparameter values right after the name also make it the one in use ("Adam lr=1e-3").
VALUES_AFTER = re.compile(
    r"[\s(,，:]*(?:with\s+)?(?:(?:model\.)?param(?:eter)?s(?:\(\))?\s*,\s*)?"
    r"(?:lr|learning rate|学习率|momentum|动量|betas?|β|wd|weight[\s_]decay|eps)"
)

_NUMBER = r"(?P<value>(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d{1,3})?)(?![\d.])"
_CONNECT = (
    r"(?:\s|[=:~(]|of\b|is\b|was\b|at\b|around\b|about\b|set to\b|to\b"
    r"|为|是|设为|设置为|设成|设置成|取|用|大约|约)*"
)


def _value_after(keyword: str) -> re.Pattern[str]:
    return re.compile(f"(?:{keyword}){_CONNECT}{_NUMBER}")


#: CurrentConfig field → the words that state its value.
VALUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "lr": _value_after(
        r"(?<![a-z])(?:(?:base|peak|max|initial|init) )?(?:lr|learning[\s_-]?rate)"
        r"|(?:初始|基础|最大)?学习率"
    ),
    "momentum": _value_after(r"(?<![a-z])momentum|动量(?:系数|参数|值)?"),
    "weight_decay": _value_after(
        r"(?<![a-z])(?:weight[\s_-]?decay|wd|l2(?: regularization| penalty| reg)?)"
        r"|权重衰减|权值衰减|l2\s*正则化?(?:系数)?"
    ),
    "beta1": _value_after(r"(?<![a-z])beta[\s_]?1|β\s*1"),
    "beta2": _value_after(r"(?<![a-z])beta[\s_]?2|β\s*2"),
    "eps": _value_after(r"(?<![a-z])(?:eps|epsilon)|ε"),
    "alpha": _value_after(r"(?<![a-z])(?:alpha|smoothing constant)|α|平滑常数"),
}

#: "betas (0.9, 0.999)", "betas=(0.9,0.95)", "β=0.9/0.98".
BETAS = re.compile(
    r"(?:(?<![a-z])betas?|β)\s*(?:=|:|of|为|是)?\s*[(\[]?\s*"
    r"(?P<beta1>0?\.\d+|0|1(?:\.0*)?)\s*[,，/]\s*(?P<beta2>0?\.\d+|0|1(?:\.0*)?)\s*[)\]]?"
)


@dataclass(frozen=True, slots=True)
class ScheduleTerm:
    pattern: Matcher
    #: A ScheduleName value, or "linear" (linear decay without warmup has no ScheduleName).
    schedule: str


_S = ScheduleName
SCHEDULE_NAMES: tuple[ScheduleTerm, ...] = (
    ScheduleTerm(en(r"one[- ]?cycle(?:lr)?"), _S.ONE_CYCLE.value),
    ScheduleTerm(en(r"cosine(?: annealing| decay| schedule)?|cosineannealinglr"), _S.COSINE.value),
    ScheduleTerm(zh(r"余弦(?:退火|衰减)?"), _S.COSINE.value),
    ScheduleTerm(en(r"step ?lr|step decay|multi-?step(?:lr)?"), _S.STEP.value),
    ScheduleTerm(zh(r"阶梯(?:式)?衰减|分段衰减|等间隔衰减"), _S.STEP.value),
    ScheduleTerm(en(r"exponential(?: decay)?|exponentiallr"), _S.EXPONENTIAL.value),
    ScheduleTerm(zh(r"指数衰减"), _S.EXPONENTIAL.value),
    ScheduleTerm(en(r"linear (?:decay|schedule)"), "linear"),
    ScheduleTerm(zh(r"线性衰减"), "linear"),
    ScheduleTerm(en(r"(?:constant|fixed) (?:lr|learning rate)"), _S.CONSTANT.value),
    ScheduleTerm(zh(r"固定学习率|恒定学习率"), _S.CONSTANT.value),
)
#: A warmup cue turns these schedules into their warmup forms.
WITH_WARMUP: dict[str, str] = {
    "cosine": _S.WARMUP_COSINE.value,
    "linear": _S.WARMUP_LINEAR.value,
}
WARMUP = re.compile(r"(?<![a-z])warm-?up|预热")
