"""Recommenders: sparse ID embeddings on Adagrad, dense towers on AdamW — a hybrid optimizer."""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.families import ParamName
from advisor.rules.adjustments import seed_schedule
from advisor.rules.base import (
    Condition,
    ConfigSetting,
    Effect,
    ParamSetting,
    Reference,
    Rule,
    Topic,
    at_least,
)
from advisor.rules.kinds import ALL, DENSE, O, of
from advisor.rules.sources import ADAGRAD_PAPER, ALGOPERF, ALGOPERF_RESULTS, DLRM, GUIDE_002, seed
from advisor.task import Domain

P = ParamName
#: Published Adagrad lrs for embeddings, the two ends of the recipe corpus's recsys area
#: (advisor.corpus: dlrm-dcnv2-mlperf-v2-torchrec, two-tower-retrieval-movielens-tfrs).
MLPERF_DLRM_V2 = Reference(
    name="facebookresearch/dlrm: Running the MLPerf DLRM v2 benchmark (Adagrad lr 0.005)",
    url="https://github.com/facebookresearch/dlrm/blob/090956ee2319ddd349a42232958aefccfe3f7b0a/torchrec_dlrm/README.MD",
)
TFRS_RETRIEVAL = Reference(
    name="TensorFlow Recommenders: Recommending movies: retrieval (Adagrad lr 0.1)",
    url="https://github.com/tensorflow/recommenders/blob/cf1dafa988f223ed5f30b68cb9aed518484b3a1d/docs/examples/basic_retrieval.ipynb",
)
#: Published recommender recipes that train at a constant lr (advisor.corpus, area recsys).
DLRM_KAGGLE = Reference(
    name="facebookresearch/dlrm: bench/dlrm_s_criteo_kaggle.sh (no lr warmup or decay by default)",
    url="https://github.com/facebookresearch/dlrm/blob/090956ee2319ddd349a42232958aefccfe3f7b0a/bench/dlrm_s_criteo_kaggle.sh",
)
NCF = Reference(
    name="hexiangnan/neural_collaborative_filtering: NeuMF command (Adam lr 0.001, no schedule)",
    url="https://github.com/hexiangnan/neural_collaborative_filtering/blob/4aab159e81c44b062c091bdaed0ab54ac632371f/README.md",
)
SPARSE_RECSYS = Condition(domains=frozenset({Domain.RECSYS}), sparse_features=True)

HYBRID = Rule(
    id="recsys.hybrid_sparse_dense",
    topic=Topic.RECSYS,
    summary=(
        "Recommenders: sparse ID embeddings train best on Adagrad (or FTRL), dense towers on "
        "AdamW, so use a hybrid: the dense family plus an Adagrad group for the embeddings."
    ),
    condition=SPARSE_RECSYS,
    effect=Effect(
        scores={O.ADAMW: 1.5, O.ADAGRAD: 1.0},
        config=(
            ConfigSetting(families=DENSE - {O.ADAGRAD}, sparse_optimizer=O.ADAGRAD, sparse_lr=0.01),
        ),
    ),
    sources=(
        ADAGRAD_PAPER,
        seed("002", *GUIDE_002, quote="混合使用优化器(Hybrid Optimizer)是常见策略"),
    ),
)

SEARCH_EMBEDDING_LR = Rule(
    id="recsys.search_embedding_lr",
    topic=Topic.RECSYS,
    summary=(
        "Published Adagrad lrs for recommender embeddings span 5e-3 (MLPerf DLRM v2) to 0.1 "
        "(TFRS two-tower retrieval), so search the embedding group's lr over 1e-3..0.3 (log) "
        "rather than fixing it. Refines recsys.hybrid_sparse_dense."
    ),
    condition=SPARSE_RECSYS,
    effect=Effect(
        config=(
            # A factor ~3-5 past each published end, as the dense lr ranges reach.
            ConfigSetting(families=DENSE - {O.ADAGRAD}, sparse_lr_low=1e-3, sparse_lr_high=0.3),
        ),
    ),
    sources=(MLPERF_DLRM_V2, TFRS_RETRIEVAL),
    refines=("recsys.hybrid_sparse_dense",),
)

CONSTANT_LR = Rule(
    id="recsys.constant_lr",
    topic=Topic.RECSYS,
    summary=(
        "Published recommender recipes train their sparse embedding models at a constant lr "
        "(DLRM on Criteo, with no warmup or decay by default; TFRS retrieval; NCF), not a decay "
        "to zero, so the advice keeps the lr constant. Refines schedules.seed_schedules."
    ),
    condition=SPARSE_RECSYS,
    effect=Effect(schedules=(seed_schedule(ALL, ScheduleName.CONSTANT),)),
    sources=(DLRM_KAGGLE, TFRS_RETRIEVAL, NCF),
    refines=("schedules.seed_schedules",),
)

EMBEDDING_LR_AT_SCALE = Rule(
    id="recsys.embedding_lr_at_scale",
    topic=Topic.RECSYS,
    summary=(
        "At large batch, (row-wise) Adagrad trains recommender embeddings around lr 5e-3 (plain "
        "SGD near 1.0 also works). Refines recsys.hybrid_sparse_dense."
    ),
    condition=Condition(
        domains=frozenset({Domain.RECSYS}), sparse_features=True, batch_size=at_least(4096)
    ),
    effect=Effect(
        params=(
            ParamSetting(families=of(O.ADAGRAD), param=P.LR, default=5e-3, low=1e-3, high=3e-2),
        ),
        config=(
            ConfigSetting(
                families=DENSE - {O.ADAGRAD},
                sparse_optimizer=O.ADAGRAD,
                sparse_lr=5e-3,
                sparse_lr_low=1e-3,
                sparse_lr_high=3e-2,
            ),
        ),
    ),
    sources=(DLRM, ALGOPERF),
    refines=("recsys.hybrid_sparse_dense",),
)

NADAMW_CRITEO = Rule(
    id="recsys.nadamw_criteo",
    topic=Topic.RECSYS,
    summary=(
        "NAdamW also reached the AlgoPerf Criteo 1TB (DLRM) target, so it earns a place beside "
        "AdamW for the dense part. Refines recsys.hybrid_sparse_dense."
    ),
    condition=Condition(domains=frozenset({Domain.RECSYS})),
    effect=Effect(scores={O.NADAM: 0.8}),
    sources=(ALGOPERF_RESULTS, ALGOPERF),
    refines=("recsys.hybrid_sparse_dense",),
)

RULES: tuple[Rule, ...] = (
    HYBRID,
    SEARCH_EMBEDDING_LR,
    CONSTANT_LR,
    EMBEDDING_LR_AT_SCALE,
    NADAMW_CRITEO,
)
