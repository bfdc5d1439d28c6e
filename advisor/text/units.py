"""Which field a number fills, decided by the words around it, as data.

A number is read by, in order: a keyword just before it ("batch size 256", "批大小128",
"参数量 7B"), a unit word just after it ("1.28M images", "90 epochs", "5万张", "10万步"), and
for a bare scaled number its neighbours ("LLaMA-7B", "a 7B model"). Words that mark a point in
training rather than an amount ("every 30 epochs", "第10轮", "warmup 5 epochs") make the number
no amount at all.
"""

from __future__ import annotations

import re
from typing import Literal

QuantityField = Literal[
    "model_params", "dataset_size", "batch_size", "epochs", "steps", "budget_trials"
]
QUANTITY_FIELDS: tuple[QuantityField, ...] = (
    "batch_size",
    "model_params",
    "dataset_size",
    "epochs",
    "steps",
    "budget_trials",
)

_KEYWORDS_BEFORE: dict[QuantityField, str] = {
    "batch_size": (
        r"(?:global |total |per[- ]device |per[- ]gpu |effective |micro[- ]?|mini-?)?"
        r"batch(?:[\s_-]?size|es)?|(?<![a-z])bs|批大小|批量大小|批次大小|批处理大小|批量|批次"
        r"|batch\s*大小"
    ),
    "model_params": (
        r"(?:number of |num_?)?param(?:eter)?s|param(?:eter)? count|model size|参数量|参数规模"
        r"|参数|模型大小|模型规模"
    ),
    "dataset_size": (
        r"data ?set(?: size)?|training set|train set|n_samples|num_samples|数据集|训练集|数据量"
        r"|样本量|样本数|资料集|数据规模|训练数据"
    ),
    "epochs": (
        r"(?:num_|max_|n_|number of |total )?epochs|epoch(?=\s*[=:])|epoch\s*数"
        r"|(?:训练)?轮数|训练轮次"
    ),
    "steps": (
        r"(?:num_|max_|total_?|number of |training )?(?:steps|iterations|iters)"
        r"|step(?=\s*[=:])|(?:训练)?步数|迭代(?:次数)?"
    ),
    "budget_trials": r"n_trials|num_trials|trials|budget(?: of)?|预算|(?<!测)试|尝试|搜索",
}

#: What may stand between a keyword and its number ("batch size of 256", "批大小设为128").
_CONNECTOR = (
    r"(?:\s|[=:~≈]|of\b|is\b|was\b|around\b|about\b|roughly\b|approximately\b|set to\b|to\b"
    r"|为|是|设为|设置为|设成|设置成|大小|规模|有|共|约|大约|总共|一共|取)"
)

#: Counts of something no field holds ("7B tokens", "8 GPUs", "8张卡"): such a number is no
#: amount the reader keeps, however it is scaled. Tried before every field's units.
_OTHER_COUNTS = (
    r"(?:tokens?|hours?|hrs?|minutes?|mins?|days?|weeks?|gpus?|tpus?|nodes?|cores?|layers?"
    r"|heads?|classes|categories|labels?|dims?|dimensions?|features?|words?|chars?|characters?"
    r"|[kmgt]b|bytes?|seconds?|secs?)(?![a-z])"
    r"|张卡|块卡|卡|块gpu|个gpu|小时|分钟|秒|天|周|层|个类别?|类|维|个特征|个token|token"
)

_UNITS_AFTER: dict[QuantityField, str] = {
    # Tried first, so "256 images per batch" is a batch, not a data set.
    "batch_size": (
        r"(?:(?:images?|samples?|examples?|sequences?|tokens?)\s+)?(?:per|a|each|/)\s*batch"
        r"|(?:张|条|个样本)?每(?:个)?(?:批|batch)"
    ),
    "model_params": r"param(?:eter)?s?(?![a-z])|参数量?",
    "dataset_size": (
        r"(?:images?|imgs?|pictures?|photos?|samples?|examples?|reviews?|rows?|records?"
        r"|sentences?|documents?|docs?|texts?|utterances?|clips?|instances?|interactions?"
        r"|ratings?|pairs?|tweets?|articles?|transactions?|data ?points?|sequences?"
        r"|observations?|entries|queries)(?![a-z])"
        r"|样本|张|条|图片|图像|句|篇|笔|个样本|组数据"
    ),
    "epochs": r"epochs?(?![a-z])|轮次?|遍|回合|个?epoch",
    "steps": r"(?:steps?|iterations?|iters?|updates?)(?![a-z])|步|次迭代",
    "budget_trials": (
        r"(?:trials?|tuning runs?|runs? of tuning)(?![a-z])"
        r"|次试验|组实验|次实验|组超参数?|组参数|次搜索"
    ),
}

#: Said after a scaled number ("a 7B model", "7B大模型"), these make it a parameter count.
_MODEL_WORDS = r"(?:models?|llms?|networks?|checkpoints?)(?![a-z])|模型|大模型|网络"

#: Words that may sit between a number and its unit ("1.28M training images").
_FILLER = (
    r"(?:(?!(?:and|or|of|for|on|in|at|to|with|by|per|the|a|an|is|are|was|were|but)(?![a-z]))"
    r"[a-z][a-z-]*\s+)"
)

KEYWORD_BEFORE = re.compile(
    "(?:" + "|".join(f"(?P<{f}>{p})" for f, p in _KEYWORDS_BEFORE.items()) + f"){_CONNECTOR}*$"
)
UNIT_AFTER = re.compile(
    r"[\s-]*(?:个\s*)?"
    + f"{_FILLER}{{0,2}}?"
    + f"(?:(?P<other>{_OTHER_COUNTS})|"
    + "|".join(f"(?P<{f}>{p})" for f, p in _UNITS_AFTER.items())
    + f"|(?P<model_word>{_MODEL_WORDS}))"
)

#: A number right after these marks a point in training, not an amount.
POINT_IN_TRAINING = re.compile(
    r"(?:(?<![a-z])(?:every|each|per|at|after|before|since|until|from|warm-?up(?: of| for)?"
    r"|patience(?: of)?|epoch|step)|第|每隔?|前|后|预热)\s*$"
)

#: A budget keyword ("budget of", "试") only counts trials when nothing else is counted after
#: the number ("budget of 8 hours" is no trial budget; "试 20 次" is).
BUDGET_TAIL = re.compile(r"(?P<unit>\s*(?:次|组|个|trials?|runs?)(?![a-z]))?\s*(?:$|[^\w\s])")

#: Between a model name and a bare scaled number that gives its size ("LLaMA-7B", "GPT-2 124M").
MODEL_SIZE_GAP_CHARS = 3
MODEL_SIZE_GAP = re.compile(rf"[\s\-_(/:]{{0,{MODEL_SIZE_GAP_CHARS}}}")
