"""How people state a memory or time limit, or a time trade-off, as patterns. Data only.

A limit needs words that make it one: a memory amount is read beside a GPU or its memory
("an 8 GB GPU", "16GB of VRAM", "A100 80GB", "我只有8G显存", "显存只有 12 GB") or a limit word
("memory limit of 8 GB", "fit in 8 GB"); a duration beside a training run and a bound ("must
train in 10 minutes", "each run under 30 s", "one hour per run", "训练时间不能超过10分钟",
"10分钟内训练完"). A data set's size ("a 50GB corpus"), a model's ("7B", "a 14GB checkpoint"),
epochs, batches, and how long something took ("trained for 3 days", "10 minutes per epoch")
are no limits. All patterns are written against the folded (lower-cased, simplified) text.
"""

from __future__ import annotations

import re

# --- amounts -------------------------------------------------------------------------------

_AMOUNT = r"(?P<n>\d+(?:\.\d+)?)"
#: GB, GiB and a bare G ("8G显存") are read as 2**30 bytes, MB and MiB as 2**20.
_MEMORY_UNIT = r"\s*(?P<u>gib|gb|gigabytes?|g|mib|mb|megabytes?)(?![a-z])"
MEMORY_AMOUNT = _AMOUNT + _MEMORY_UNIT
MEGABYTE_UNITS = frozenset({"mib", "mb", "megabyte", "megabytes"})

#: A GPU named by its model ("V100", "A100", "RTX 3090", "T4", "4090").
_GPU_MODEL = (
    r"(?:(?:nvidia|geforce|tesla|quadro)\s*)?(?:rtx|gtx)?\s*"
    r"(?:[avhtlp]\d{1,3}|\d{4})(?:\s*ti)?s?(?![a-z0-9])"
)
_GPU_WORD = r"(?:gpus?|cards?|graphics cards?|accelerators?|video cards?)(?![a-z])"
#: Words that may stand between an amount and its GPU ("an 8GB NVIDIA card"); not words that
#: make the amount something else's ("2GB per GPU", "16GB of data on 8 GPUs").
_FILLER = r"(?:(?!(?:per|of|on|in|for|across|over|with|and|or)(?![a-z]))[a-z0-9-]+\s+)"

_MEMORY_PATTERNS_EN = (
    # "16GB of VRAM", "24 GB GPU memory", "16GB VRAM"
    MEMORY_AMOUNT
    + r"\s*(?:of\s+)?(?:vram|(?:gpu|video|graphics|device|cuda)\s+(?:memory|ram))(?![a-z])",
    # "an 8 GB GPU", "48GB GPUs", "32GB V100", "a 12GB RTX 3060 card"
    MEMORY_AMOUNT + rf"\s*(?:{_FILLER}{{0,2}}?)(?:{_GPU_WORD}|{_GPU_MODEL})",
    # "A100 80GB", "a GPU with 24 GB", "RTX 3090 (24GB)"
    rf"(?<![a-z0-9])(?:{_GPU_WORD}|{_GPU_MODEL})\s*(?:with\s+|has\s+|having\s+)?"
    r"(?:only\s+|just\s+)?[(\[]?\s*" + MEMORY_AMOUNT,
    # "memory limit of 8 GB", "VRAM: 8GB", "GPU memory is only 12 GB", "peak memory under 6 GB"
    r"(?<![a-z])(?:vram|gpu memory|video memory|memory (?:limit|budget|cap)|peak memory"
    r"|max(?:imum)? memory)"
    r"(?:\s|is\b|of\b|:|=|<|≤|under\b|below\b|at most\b|only\b|just\b|about\b|around\b|~"
    r"|limit\b|budget\b|cap\b|must\b|should\b|stay\b|be\b|less than\b|no more than\b)*"
    + MEMORY_AMOUNT,
    # "must fit in 8 GB", "fits into 16GB"
    r"(?<![a-z])fit(?:s|ting)?\s+(?:in|into|within|under)\s+(?:an?\s+|one\s+|my\s+)?"
    + MEMORY_AMOUNT,
)
_MEMORY_PATTERNS_ZH = (
    # "显存只有 12 GB", "显存12G", "显存不能超过8G", "显卡只有8G"
    r"(?:显存|显卡|gpu内存|gpu显存)\s*(?:只有|仅有|仅|就|才|为|是|有|大小|容量|总共|一共|不能超过|不超过"
    r"|不到|限制在|控制在|小于|低于|最多|上限|:)*\s*(?:约|大约)?\s*" + MEMORY_AMOUNT,
    # "8G显存", "8G的显卡", "12g卡"
    MEMORY_AMOUNT + r"\s*(?:的)?\s*(?:显存|显卡|gpu|卡)",
)
#: Each pattern on its own: the groups of an amount repeat from one to the next.
MEMORY_LIMITS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p) for p in (*_MEMORY_PATTERNS_EN, *_MEMORY_PATTERNS_ZH)
)

#: Every memory pattern holds one of these: a text without any skips them all (most do).
MEMORY_HINT = re.compile(r"\d\s*[gm]")

# --- durations -----------------------------------------------------------------------------

#: English number words a duration is said with ("one hour per run", "an hour").
NUMBER_WORDS: dict[str, float] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "half an": 0.5,
    "half a": 0.5,
}
_WORD_NUMBERS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_EN_DURATION = (
    rf"(?P<n>\d+(?:\.\d+)?|(?<![a-z])(?:{_WORD_NUMBERS}))[\s-]*"
    r"(?P<u>seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?)(?![a-z])"
)
#: Seconds per unit word (English and Chinese).
UNIT_SECONDS: dict[str, float] = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "day": 86_400,
    "days": 86_400,
    "秒": 1,
    "秒钟": 1,
    "分钟": 60,
    "小时": 3600,
    "钟头": 3600,
    "天": 86_400,
}
#: "10分钟", "一个小时", "半小时", "两个半小时"; a bare 分 is no unit (it is also a score).
_ZH_DURATION = (
    r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)?\s*(?:个)?\s*(?P<half>半)?\s*(?:个)?\s*"
    r"(?P<u>小时|钟头|分钟|秒钟|秒|天)"
)
_BOUND_EN = (
    r"(?:under|below|less than|at most|no more than|within|in under|in less than|up to"
    r"|max(?:imum)?(?: of)?|<=?|≤|exceed)"
)
_RUN = r"(?:training\s+|tuning\s+)?(?:runs?|trials?|experiments?|jobs?)(?![a-z])"

_TIME_PATTERNS_EN = (
    # "must train in 10 minutes", "training should finish within 2 hours", "run in under 30 s"
    r"(?<![a-z])(?:train|trains|training|run|runs|finish|finishes|complete|completes|converge"
    r"|converges|fine-?tune|fine-?tunes|fine-?tuning|done)\s+"
    r"(?:(?!(?:in|within|under|below|inside)(?![a-z]))[a-z0-9-]+\s+){0,3}?"
    r"(?:in|within|under|below|inside)\s+(?:under\s+|less than\s+|at most\s+|about\s+|roughly\s+"
    r"|no more than\s+|a max(?:imum)? of\s+)?" + _EN_DURATION,
    # "one hour per run", "30 s per trial", "5 minutes for each run"
    _EN_DURATION + rf"\s+(?:per|a|each|/|for each|for every)\s+{_RUN}",
    # "each trial must take at most 5 minutes", "each run under 30 s", "a run can't exceed 1 h"
    r"(?<![a-z])(?:each|every|per|a single|one|single|a)\s+" + _RUN + r"\s+"
    r"(?:(?:must|should|can|may|has to|needs to|cannot|can't|shouldn't|must not|is allowed to)\s+)?"
    r"(?:(?:take|last|run|finish|be|stay|complete)s?\s+)?" + _BOUND_EN + r"\s*" + _EN_DURATION,
    # "time budget of 10 minutes", "time limit: 30 s", "wall-clock limit of 2 hours"
    r"(?<![a-z])(?:time (?:limit|budget|cap)|wall[- ]?clock (?:limit|budget))"
    r"(?:\s|per run\b|per trial\b|of\b|is\b|:|=|<|≤|at most\b|under\b|below\b|only\b|about\b|~)*"
    + _EN_DURATION,
    # "training time under 10 min", "runtime at most 1 hour"
    r"(?<![a-z])(?:training time|train time|run ?time|time per (?:run|trial))\s*"
    r"(?:(?:must|should) (?:be|stay)\s+|is\s+|of\s+)?" + _BOUND_EN + r"\s*" + _EN_DURATION,
    # "10-minute runs", "a 30-second time limit"
    _EN_DURATION + r"\s+(?:training\s+)?(?:runs?|trials?|time limits?|limits?|caps?)(?![a-z])",
)
_BOUND_ZH = (
    r"(?:不能超过|不可以超过|不要超过|不得超过|不超过|别超过|少于|小于|低于|短于|控制在|限制在|限定在|限于|最多|最长"
    r"|至多|上限(?:是|为)?|只有|只能|必须在|需要在|要在|得在|在)"
)
_TIME_PATTERNS_ZH = (
    # "训练时间不能超过10分钟", "每次训练最多10分钟", "训练要在1小时内完成"
    r"(?:训练|跑|运行|实验|试验|微调|训完)[^，。,；;！？\n\d]{0,6}?(?:时间|时长|耗时|用时)?\s*"
    r"(?:必须|需要|要|得|应该|最好|尽量)?\s*" + _BOUND_ZH + r"\s*" + _ZH_DURATION,
    # "10分钟内训练完", "一小时之内跑完"
    _ZH_DURATION
    + r"\s*(?:以内|之内|内)\s*(?:要|必须|需要|得)?\s*(?:训练|跑|完成|训完|收敛|结束|出结果)",
    # "每次训练10分钟", "单次实验不超过半小时"
    r"(?:每次|单次|每个|每组|一次)\s*(?:训练|实验|运行|试验|trial|run)\s*"
    + _BOUND_ZH
    + r"?\s*"
    + _ZH_DURATION,
)
#: Each pattern on its own: the groups of a duration repeat from one to the next.
TIME_LIMITS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p) for p in (*_TIME_PATTERNS_EN, *_TIME_PATTERNS_ZH)
)

#: Every time pattern holds one of these unit words: a text without any skips them all.
TIME_HINT = re.compile(r"sec|min|hour|hr|day|\d\s*[sh](?![a-z])|秒|分钟|小时|钟头|天")

#: Around a duration, these make it the whole search's or one part's, not one run's.
NOT_ONE_RUN = re.compile(
    r"(?<![a-z])(?:tuning|search|sweep|in total|overall|all (?:the )?trials|whole study"
    r"|(?:each|every|per|an?|one|single) (?:epoch|step|iteration|batch|forward pass|eval\w*))"
    r"(?![a-z])|调参|搜索|总共|一共|全部实验|每个?epoch|每轮(?!实验)|每步"
)

# --- a time trade-off ----------------------------------------------------------------------

_QUALITY_EN = r"(?:accuracy|quality|performance|loss|score|results?|metrics?)"
_TIME_EN = r"(?:(?:training|train|run|wall-?clock)\s+)?(?:time|speed|cost|compute)"
_QUALITY_ZH = r"(?:精度|准确率|效果|性能|指标)"
_TIME_ZH = r"(?:速度|时间|耗时|训练时间|训练速度)"
#: Every trade-off pattern holds one of these.
TRADEOFF_HINT = re.compile(r"fast|quick|trade|time|speed|cost|compute|快|权衡|平衡|折中|取舍|兼顾")
TIME_TRADEOFF = re.compile(
    r"(?<![a-z])(?:"
    r"(?:train(?:ing)?\s+)?as (?:fast|quickly) as possible"
    rf"|trade-?offs? (?:between|of) (?:[a-z]+ )?{_QUALITY_EN} (?:and|vs\.?|versus) {_TIME_EN}"
    rf"|trade-?offs? (?:between|of) {_TIME_EN} (?:and|vs\.?|versus) (?:[a-z]+ )?{_QUALITY_EN}"
    rf"|{_QUALITY_EN} (?:vs\.?|versus|against) {_TIME_EN}"
    rf"|{_TIME_EN} (?:vs\.?|versus|against) {_QUALITY_EN}"
    r"|(?:minimi[sz]e|reduce|shorten|cut) (?:the )?(?:training|train|wall-?clock|run) ?time"
    r"|(?:shortest|least|minimal|minimum) (?:possible )?(?:training|train) time"
    r")(?![a-z])"
    r"|尽(?:量|可能)(?:地)?快|越快越好|训练(?:时间|速度)?(?:尽量|尽可能)(?:短|快)|又快又好"
    rf"|{_TIME_ZH}(?:和|与|跟|及){_QUALITY_ZH}(?:之间)?(?:的)?(?:权衡|平衡|折中|取舍|兼顾)"
    rf"|{_QUALITY_ZH}(?:和|与|跟|及){_TIME_ZH}(?:之间)?(?:的)?(?:权衡|平衡|折中|取舍|兼顾)"
    r"|兼顾(?:训练)?(?:速度|时间)"
)
