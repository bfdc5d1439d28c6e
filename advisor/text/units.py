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
    r"|[kmgt]b|bytes?|seconds?|secs?|audio samples?|elements?|pixels?)(?![a-z])"
    r"|张卡|块卡|卡|块gpu|个gpu|小时|分钟|秒|天|周|层|个类别?|类|维|个特征|个token|token"
)

_UNITS_AFTER: dict[QuantityField, str] = {
    # Tried first, so "256 images per batch" is a batch, not a data set.
    "batch_size": (
        r"(?:(?:images?|samples?|examples?|sequences?|tokens?)\s+)?(?:per|a|each|/)\s*"
        r"(?:(?:mini-?)?batch|(?:optimi[sz]er |training |gradient )?(?:step|iteration|update))"
        r"(?![a-z])|(?:张|条|个样本)?每(?:个)?(?:批|batch)"
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

#: Words before "steps" that make them no optimizer steps: diffusion noise levels, GAN critic
#: updates per generator step, TabNet's decision steps, an RL run's environment frames,
#: the micro-steps of gradient accumulation ("1000 diffusion steps", "5 critic steps").
NOT_OPTIMIZER_STEPS = re.compile(
    r"(?<![a-z])(?:diffusion|noise|noising|denoising|sampling|sampler|inference|critic"
    r"|discriminator|decision|environment|env|agent|simulation|simulator|game|accumulation"
    r"|time|rollout|unroll(?:ing)?|bptt)(?![a-z])|扩散|去噪|加噪|采样|判别器|环境|累积|累加"
)
#: Chinese puts the qualifier before the number: "扩散1000步", "判别器训练5步".
NOT_OPTIMIZER_STEPS_BEFORE_A_NUMBER = re.compile(
    r"(?:扩散|去噪|加噪|采样|判别器|环境|累积|累加)(?:训练|更新|迭代)?\s*$"
)
#: Words before "steps" or "epochs" that name a phase, not the whole run ("2000 warmup steps").
A_PHASE = re.compile(r"(?<![a-z])(?:warm-?up|burn-?in|cool-?down|ramp-?up)(?![a-z])|预热")
#: The same words glued before a steps keyword ("diffusion_steps=1000", "total_timesteps=1e6").
NOT_OPTIMIZER_STEPS_BEFORE = re.compile(
    r"(?:diffusion|noise|denoising|sampling|inference|critic|discriminator|decision"
    r"|environment|env|agent|accumulation|time|扩散|去噪|采样|判别器|环境)[\s_-]*$"
)
#: A ghost batch norm's virtual batch ("virtual batches of 512") is not the training batch.
NOT_THE_BATCH_BEFORE = re.compile(r"(?:virtual|ghost)[\s_-]*$")
#: "global/total/effective batch" is the whole batch already: it beats a per-device or micro
#: batch said elsewhere, and is not multiplied again.
WHOLE_BATCH = re.compile(r"global|total|effective|overall|全局|总")
PER_DEVICE_BATCH = re.compile(r"per[- ](?:device|gpu)|micro")

_DEVICE = (
    r"(?:gpus?|devices?|cards?|accelerators?|tpus?(?: cores?| chips?)?|chips?|replicas?|ranks?)"
    r"(?![a-z])"
)
#: How many devices share a batch: "8 GPUs", "8 V100 GPUs", "8 A100s", "8x A100", "8张卡".
DEVICE_COUNT = re.compile(
    r"(?<![\w.])(?P<n>\d{1,5})\s*(?:[x×]\s*)?"
    r"(?:(?:(?:nvidia|tesla|rtx|geforce)\s*)?[a-z]{0,3}\d{2,4}[a-z]*(?:[ -]\d+\s*gb)?\s*)?"
    + _DEVICE
    + r"|(?<![\w.])(?P<plural>\d{1,5})\s*(?:[x×]\s*)?(?:[avh]\d{2,3}|rtx ?\d{4})s(?![a-z])"
    r"|(?<![\w.])(?P<times>\d{1,5})\s*[x×]\s*(?:[avh]\d{2,3}|rtx ?\d{4})(?![a-z0-9])"
    r"|(?<![\d.])(?P<zh>\d{1,5})\s*(?:张|块|个)?\s*(?:卡|gpu|显卡)"
)
#: After a count: it is per device ("128 images per GPU"), a per-device batch.
PER_DEVICE_AFTER = re.compile(rf"\s*(?:per|a|/|on each|for each|on every)\s*{_DEVICE}")
#: Before a count: "每卡64张", "单卡batch 32".
PER_DEVICE_BEFORE = re.compile(r"(?:每|单)\s*(?:张|块|个)?\s*(?:卡|gpu|显卡|设备)\s*(?:上)?\s*$")
#: After a count of examples: "each" ("8 GPUs with 128 images each": per device when the
#: clause counts devices, else per part: "40M rows each") or any other rate ("100 images
#: per class"). Neither is a data set's size; "per epoch" is (an epoch passes over it all).
EACH_AFTER = re.compile(r"\s+(?:each|apiece)(?![a-z])(?!\s+(?:epoch|pass))")
RATE_AFTER = re.compile(r"\s*(?:per|/|every)\s*(?!epoch|pass)[a-z0-9]")
RATE_BEFORE = re.compile(r"每[^\d\s，,。；;]{1,4}\s*$")
#: Examples shown or seen measure how long training ran, not the data set ("25M images shown").
SEEN_AFTER = re.compile(r"\s+(?:shown|seen|processed|consumed)(?![a-z])")
#: "200 iterations of 250k agent steps": the first number counts groups, not optimizer steps.
GROUPS_OF = re.compile(r"\s+of\s+(?:about |around |roughly |~)?\d")
#: A unit glued to its number with a hyphen qualifies the word after it ("20-step
#: unrolling", "3-step returns"): no length of training, unless that word is a run's.
QUALIFIES_NEXT = re.compile(
    r"[ \t]+(?!(?:and|or|with|of|on|in|at|to|for|by|the|a|an|per|each)(?![a-z]))(?=[a-z])"
)
LENGTH_OF_A_RUN = re.compile(
    r"(?:[a-z-]+\s+)?(?:runs?|schedules?|training|budgets?|jobs?|cycles?|trajector(?:y|ies)"
    r"|fine-?tuning|finetuning|pre-?training|sweeps?)"
    r"(?![a-z])"
)
#: Gradient accumulation: the batch the optimizer sees is the stated one times this.
ACCUMULATION = re.compile(
    r"(?<![\w.])(?P<a>\d{1,4})[- ]steps? (?:of )?(?:gradient )?accumulation"
    r"|(?<![\w.])(?P<b>\d{1,4}) (?:gradient |grad )?accumulation(?: steps)?(?![a-z])"
    r"|(?<![\w.])(?P<c>\d{1,4}) gradient accumulations?(?: steps)?(?![a-z])"
    r"|(?:gradient[_ ]|grad[_ ])?accum(?:ulation)?(?:[_ ]steps)?\s*(?:[=:]|of|over)?\s*"
    r"(?P<d>\d{1,4})(?![\d.])(?!\s*(?:epochs?|gpus?|[kmb](?![a-z])))"
    r"|accumulat\w* (?:gradients? (?:over|across|for)|over|across) (?P<e>\d{1,4}) "
    r"(?:steps|batches|micro-?batches|iterations)(?![a-z])"
    r"|梯度累[积加]\s*(?:步数)?\s*[=:为]?\s*(?P<f>\d{1,4})"
)
