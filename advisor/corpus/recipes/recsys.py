"""Published recommender-system recipes: DLRM (with dot and DCN-v2 interaction), DeepFM,
Wide & Deep, NCF, SASRec, BERT4Rec, a two-tower retrieval model and a small DCN.

Read, at the commit in each URL, from the official repositories' run scripts and argument
defaults, TorchRec's DLRM results table, the BARS benchmark's run logs (FuxiCTR) and the
TensorFlow Recommenders tutorials. Every model here learns ID embeddings, so
``sparse_features`` is true throughout. Where a repository takes a library default (Keras's
Adam, TF's AdamWeightDecay settings), the quote holds the line that sets it.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

# Short aliases keep the records below readable.
O, A, D, R, T = OptimizerName, Architecture, Domain, Regime, TaskDescription  # noqa: E741

_DLRM = "github:facebookresearch/dlrm"
_DLRM_BLOB = (
    "https://github.com/facebookresearch/dlrm/blob/090956ee2319ddd349a42232958aefccfe3f7b0a/"
)
_BARS = "github:reczoo/BARS"
_BARS_BLOB = "https://github.com/reczoo/BARS/blob/"
_TFRS = "github:tensorflow/recommenders"
_TFRS_BLOB = (
    "https://github.com/tensorflow/recommenders/blob/"
    "cf1dafa988f223ed5f30b68cb9aed518484b3a1d/docs/examples/"
)

RECIPES: tuple[Recipe, ...] = (
    Recipe(
        id="dlrm-criteo-kaggle-reference",
        area=Area.RECSYS,
        source_key=_DLRM,
        task=T(
            description=(
                "Train DLRM (16-dim sparse-feature embeddings, bottom MLP "
                "13-512-256-64-16, top MLP 512-256-1) on the Criteo Kaggle display-ads click "
                "data for one epoch, batch 128"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            batch_size=128,
            epochs=1,
            sparse_features=True,
        ),
        optimizer=O.SGD,
        lr=0.1,
        schedule=ScheduleName.CONSTANT,
        batch_size=128,
        citation=Citation(
            title="facebookresearch/dlrm: bench/dlrm_s_criteo_kaggle.sh",
            url=_DLRM_BLOB + "bench/dlrm_s_criteo_kaggle.sh",
            where="bench/dlrm_s_criteo_kaggle.sh; dlrm_s_pytorch.py argument defaults",
            quote=(
                '--arch-sparse-feature-size=16 --arch-mlp-bot="13-512-256-64-16" '
                '--arch-mlp-top="512-256-1" --data-generation=dataset --data-set=kaggle ... '
                "--loss-function=bce --round-targets=True --learning-rate=0.1 "
                "--mini-batch-size=128 ... [dlrm_s_pytorch.py:] "
                'parser.add_argument("--nepochs", type=int, default=1) ... '
                'parser.add_argument("--optimizer", type=str, default="sgd") ... '
                'parser.add_argument("--lr-num-warmup-steps", type=int, default=0)'
            ),
        ),
    ),
    Recipe(
        id="dlrm-criteo-1tb-torchrec-sgd",
        area=Area.RECSYS,
        source_key=_DLRM,
        task=T(
            description=(
                "Train DLRM with TorchRec on the Criteo 1TB click logs for one epoch on 8 "
                "A100s: 26 embedding tables of 128 dims (up to 40M rows each), dense arch "
                "512-256-128, over arch 1024-1024-512-256-1, dot-product interaction, global "
                "batch 2048"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            batch_size=2048,
            epochs=1,
            sparse_features=True,
        ),
        optimizer=O.SGD,
        lr=1.0,
        schedule=ScheduleName.CONSTANT,
        batch_size=2048,
        citation=Citation(
            title="facebookresearch/dlrm: TorchRec DLRM example, results table",
            url=_DLRM_BLOB + "torchrec_dlrm/README.MD",
            where="torchrec_dlrm/README.MD, Results (row 1); dlrm_main.py lr_warmup_steps",
            quote=(
                "Dataset: Criteo 1TB Click Logs dataset ... --embedding_dim 128 --pin_memory "
                "--over_arch_layer_sizes 1024,1024,512,256,1 --dense_arch_layer_sizes "
                "512,256,128 --epochs 1 ... |8|104.54|256|2,048|1.0|Dot product "
                "interaction|SGD|0.8032|0.8030| ... |`--batch_size 256 --learning_rate 1.0`| "
                '... [dlrm_main.py:] parser.add_argument("--lr_warmup_steps", type=int, '
                "default=0)"
            ),
        ),
    ),
    Recipe(
        id="dlrm-dcnv2-mlperf-v2-torchrec",
        area=Area.RECSYS,
        source_key=_DLRM,
        task=T(
            description=(
                "Run the MLPerf DLRM v2 benchmark: DLRM with a 3-layer low-rank DCN-v2 "
                "interaction, 128-dim embeddings, on the multi-hot Criteo 1TB dataset "
                "(4.2B training samples), one epoch, global batch 65536 on 8 GPUs"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            dataset_size=4_195_197_692,
            batch_size=65536,
            epochs=1,
            sparse_features=True,
        ),
        optimizer=O.ADAGRAD,
        published_optimizer="Adagrad (FBGEMM exact Adagrad fused for the embeddings)",
        lr=0.005,
        eps=1e-8,
        # No warm-up or decay flags are passed, and dlrm_main.py defaults them to 0.
        schedule=ScheduleName.CONSTANT,
        batch_size=65536,
        citation=Citation(
            title="facebookresearch/dlrm: Running the MLPerf DLRM v2 benchmark",
            url=_DLRM_BLOB + "torchrec_dlrm/README.MD",
            where="torchrec_dlrm/README.MD, MLPerf DLRM v2; dlrm_main.py --eps default",
            quote=(
                "export TOTAL_TRAINING_SAMPLES=4195197692 ; export GLOBAL_BATCH_SIZE=65536 ; "
                "export WORLD_SIZE=8 ; ... --embedding_dim 128 --dense_arch_layer_sizes "
                "512,256,128 --over_arch_layer_sizes 1024,1024,512,256,1 ... --epochs 1 ... "
                "--batch_size $((GLOBAL_BATCH_SIZE / WORLD_SIZE)) ... --interaction_type=dcn ... "
                "--dcn_num_layers=3 ... --dcn_low_rank_dim=512 ... --adagrad ... "
                "--learning_rate 0.005 ... "
                '[dlrm_main.py:] "--eps", type=float, default=1e-8, help="Epsilon for Adagrad '
                'optimizer."'
            ),
        ),
    ),
    Recipe(
        id="deepfm-criteo-x1-bars",
        area=Area.RECSYS,
        source_key=_BARS,
        task=T(
            description=(
                "Train DeepFM (10-dim field embeddings, 400-400-400 MLP, dropout 0.1, batch "
                "norm) for click-through prediction on Criteo (33M training rows, 13 numeric "
                "and 26 categorical fields), batch 4096, early stopping on validation AUC"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            model_params=23_429_477,
            dataset_size=33_003_326,
            batch_size=4096,
            epochs=15,
            sparse_features=True,
        ),
        optimizer=O.ADAM,
        lr=0.001,
        # Reduce-on-plateau (x0.1 when validation AUC stalls) has no ScheduleName.
        schedule=None,
        batch_size=4096,
        citation=Citation(
            title="BARS benchmark: DeepFM_criteo_x1",
            url=(
                _BARS_BLOB + "bc97da0d13a3b02e2abfb9e653cda4a02a5c3dd7/"
                "ranking/ctr/DeepFM/DeepFM_criteo_x1/README.md"
            ),
            where="ranking/ctr/DeepFM/DeepFM_criteo_x1/README.md, Logs",
            quote=(
                '"batch_norm": "True", "batch_size": "4096", ... "embedding_dim": "10", '
                '"embedding_regularizer": "1e-05", "epochs": "100", ... "hidden_units": '
                '"[400, 400, 400]", ... "learning_rate": "0.001", ... "net_dropout": "0.1", '
                '"net_regularizer": "0", ... "optimizer": "adam", ... Train samples: '
                "total/33003326 ... Total number of parameters: 23429477. ... Reduce learning "
                "rate on plateau: 0.000100 ... Early stopping at epoch=15"
            ),
        ),
    ),
    Recipe(
        id="widedeep-criteo-x1-bars",
        area=Area.RECSYS,
        source_key=_BARS,
        task=T(
            description=(
                "Train a Wide & Deep model (10-dim embeddings, 400-400-400 deep tower, dropout "
                "0.1, batch norm) for click-through prediction on Criteo (33M training rows), "
                "batch 4096, early stopping on validation AUC"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            model_params=23_429_477,
            dataset_size=33_003_326,
            batch_size=4096,
            epochs=25,
            sparse_features=True,
        ),
        optimizer=O.ADAM,
        lr=0.001,
        # Reduce-on-plateau (x0.1 when validation AUC stalls) has no ScheduleName.
        schedule=None,
        batch_size=4096,
        citation=Citation(
            title="BARS benchmark: WideDeep_criteo_x1",
            url=(
                _BARS_BLOB + "1ffaf736aa40823b96002fe887973fbb58164afd/"
                "ranking/ctr/WideDeep/WideDeep_criteo_x1/README.md"
            ),
            where="ranking/ctr/WideDeep/WideDeep_criteo_x1/README.md, Logs",
            quote=(
                '"batch_norm": "True", "batch_size": "4096", ... "embedding_dim": "10", '
                '"embedding_regularizer": "1e-05", "epochs": "100", ... "hidden_units": '
                '"[400, 400, 400]", ... "learning_rate": "0.001", ... "model": "WideDeep", ... '
                '"net_dropout": "0.1", "net_regularizer": "0", ... "optimizer": "adam", ... '
                "Train samples: total/33003326 ... Total number of parameters: 23429477. ... "
                "Reduce learning rate on plateau: 0.000100 ... Early stopping at epoch=25"
            ),
        ),
    ),
    Recipe(
        id="sasrec-ml1m-official",
        area=Area.RECSYS,
        source_key="github:kang205/SASRec",
        task=T(
            description=(
                "Train SASRec (2 self-attention blocks, 50 hidden units, 1 head) for next-item "
                "recommendation on MovieLens-1M with sequences up to 200 items, dropout 0.2, "
                "batch 128, 201 epochs"
            ),
            domain=D.RECSYS,
            architecture=A.TRANSFORMER,
            regime=R.FROM_SCRATCH,
            batch_size=128,
            epochs=201,
            sparse_features=True,
        ),
        optimizer=O.ADAM,
        lr=0.001,
        beta2=0.98,
        weight_decay=0.0,
        schedule=ScheduleName.CONSTANT,
        batch_size=128,
        citation=Citation(
            title="kang205/SASRec (official implementation)",
            url=(
                "https://github.com/kang205/SASRec/blob/"
                "e3738967fddab206d6eeb4fda433e7a7034dd8b1/main.py"
            ),
            where="main.py argument defaults; README.md ml-1m command; model.py optimizer",
            quote=(
                "parser.add_argument('--batch_size', default=128, type=int) "
                "parser.add_argument('--lr', default=0.001, type=float) "
                "parser.add_argument('--maxlen', default=50, type=int) "
                "parser.add_argument('--hidden_units', default=50, type=int) "
                "parser.add_argument('--num_blocks', default=2, type=int) "
                "parser.add_argument('--num_epochs', default=201, type=int) ... "
                "parser.add_argument('--l2_emb', default=0.0, type=float) ... [README:] python "
                "main.py --dataset=ml-1m --train_dir=default --maxlen=200 --dropout_rate=0.2 "
                "... [model.py:] self.optimizer = tf.train.AdamOptimizer(learning_rate=args.lr, "
                "beta2=0.98)"
            ),
        ),
    ),
    Recipe(
        id="bert4rec-ml1m-official",
        area=Area.RECSYS,
        source_key="github:FeiSun/BERT4Rec",
        task=T(
            description=(
                "Train BERT4Rec (2 layers, 2 heads, hidden 64, masked-item objective) on "
                "MovieLens-1M with sequences up to 200 items, batch 256, 400k steps"
            ),
            domain=D.RECSYS,
            architecture=A.TRANSFORMER,
            regime=R.FROM_SCRATCH,
            batch_size=256,
            steps=400_000,
            sparse_features=True,
        ),
        optimizer=O.ADAMW,
        published_optimizer="AdamWeightDecayOptimizer (BERT's decoupled weight decay)",
        lr=1e-4,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        # 100 / 400_000
        warmup_fraction=0.00025,
        warmup="100 steps",
        batch_size=256,
        citation=Citation(
            title="FeiSun/BERT4Rec (official implementation)",
            url=(
                "https://github.com/FeiSun/BERT4Rec/blob/"
                "615eaf2004abecda487a38d5b0c72f3dcfcae5b3/run_ml-1m.sh"
            ),
            where="run_ml-1m.sh; optimization.py create_optimizer; bert_config_ml-1m_64.json",
            quote=(
                'dataset_name="ml-1m" max_seq_length=200 ... dim=64 batch_size=256 '
                "num_train_steps=400000 ... --num_warmup_steps=100 ... --learning_rate=1e-4 ... "
                "[optimization.py:] # Implements linear decay of the learning rate. ... "
                "end_learning_rate=0.0, power=1.0, ... optimizer = AdamWeightDecayOptimizer( "
                "learning_rate=learning_rate, weight_decay_rate=0.01, beta_1=0.9, beta_2=0.999, "
                'epsilon=1e-6, ... [config:] "hidden_size": 64, ... "num_attention_heads": 2, '
                '"num_hidden_layers": 2'
            ),
        ),
    ),
    Recipe(
        id="neumf-ml1m-official",
        area=Area.RECSYS,
        source_key="github:hexiangnan/neural_collaborative_filtering",
        task=T(
            description=(
                "Train NeuMF (8-factor GMF plus a 64-32-16-8 MLP over user and item ID "
                "embeddings) on MovieLens-1M implicit feedback with 4 negatives per positive, "
                "batch 256, 20 epochs, no pretraining"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            batch_size=256,
            epochs=20,
            sparse_features=True,
        ),
        optimizer=O.ADAM,
        lr=0.001,
        weight_decay=0.0,
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title="hexiangnan/neural_collaborative_filtering (official NCF code)",
            url=(
                "https://github.com/hexiangnan/neural_collaborative_filtering/blob/"
                "4aab159e81c44b062c091bdaed0ab54ac632371f/README.md"
            ),
            where="README.md, NeuMF (without pre-training) command; NeuMF.py compile",
            quote=(
                "python NeuMF.py --dataset ml-1m --epochs 20 --batch_size 256 --num_factors 8 "
                "--layers [64,32,16,8] --reg_mf 0 --reg_layers [0,0,0,0] --num_neg 4 --lr 0.001 "
                "--learner adam --verbose 1 --out 1 ... "
                '[NeuMF.py:] elif learner.lower() == "adam": '
                "model.compile(optimizer=Adam(lr=learning_rate), loss='binary_crossentropy')"
            ),
        ),
    ),
    Recipe(
        id="two-tower-retrieval-movielens-tfrs",
        area=Area.RECSYS,
        source_key=_TFRS,
        task=T(
            description=(
                "Train a two-tower retrieval model (32-dim user-ID and movie-title embedding "
                "towers, in-batch softmax over candidates) on MovieLens 100k: 80k training "
                "ratings, batch 8192, 3 epochs"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            dataset_size=80_000,
            batch_size=8192,
            epochs=3,
            sparse_features=True,
        ),
        optimizer=O.ADAGRAD,
        lr=0.1,
        schedule=ScheduleName.CONSTANT,
        batch_size=8192,
        citation=Citation(
            title="TensorFlow Recommenders: Recommending movies: retrieval",
            url=_TFRS_BLOB + "basic_retrieval.ipynb",
            where="docs/examples/basic_retrieval.ipynb, fitting and evaluating",
            quote=(
                'ratings = tfds.load("movielens/100k-ratings", split="train") ... train = '
                "shuffled.take(80_000) ... embedding_dimension = 32 ... "
                "model.compile(optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.1)) ... "
                "cached_train = train.shuffle(100_000).batch(8192).cache() ... "
                "model.fit(cached_train, epochs=3)"
            ),
        ),
    ),
    Recipe(
        id="dcn-movielens-tfrs",
        area=Area.RECSYS,
        source_key=_TFRS,
        task=T(
            description=(
                "Train a Deep & Cross Network (one cross layer, 192-192 deep layers, 32-dim "
                "feature embeddings) to predict MovieLens 100k ratings: 80k training ratings, "
                "batch 8192, 8 epochs"
            ),
            domain=D.RECSYS,
            architecture=A.EMBEDDING,
            regime=R.FROM_SCRATCH,
            dataset_size=80_000,
            batch_size=8192,
            epochs=8,
            sparse_features=True,
        ),
        optimizer=O.ADAM,
        lr=0.01,
        schedule=ScheduleName.CONSTANT,
        batch_size=8192,
        citation=Citation(
            title="TensorFlow Recommenders: Deep & Cross Network (DCN)",
            url=_TFRS_BLOB + "dcn.ipynb",
            where="docs/examples/dcn.ipynb, Movielens example (run_models)",
            quote=(
                'ratings = tfds.load("movie_lens/100k-ratings", split="train") ... train = '
                "shuffled.take(80_000) ... self.embedding_dimension = 32 ... cached_train = "
                "train.shuffle(100_000).batch(8192).cache() ... "
                "model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate)) ... "
                "model.fit(cached_train, epochs=epochs, verbose=False) ... epochs = 8 "
                "learning_rate = 0.01 ... dcn_result = run_models(use_cross_layer=True, "
                "deep_layer_sizes=[192, 192])"
            ),
        ),
    ),
)
