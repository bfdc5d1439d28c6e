"""Tabular recipes: MLP, ResNet and FT-Transformer (Gorishniy et al.), TabNet (the paper's
official code and the dreamquark-ai package), SAINT, TabTransformer.

Every number was read in the cited file at the commit named in its URL; the quote holds the
lines it came from. The rtdl-revisiting-models "tuned" configs are the per-dataset result of the
paper's hyperparameter search, so their lr and weight decay carry many digits; they are copied
as written. Those runs have no lr schedule and stop early (patience 16 epochs), so ``epochs``
stays unset.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

_RTDL = (
    "https://github.com/yandex-research/rtdl-revisiting-models/blob/"
    "e3ed46cac38568785289d8fa16b8cfa585bde27e"
)
_RTDL_TITLE = "Revisiting Deep Learning Models for Tabular Data: rtdl-revisiting-models"
_GR = "https://github.com/google-research/google-research/blob"
_TABNET_TITLE = "TabNet: Attentive Interpretable Tabular Learning: google-research/tabnet"
_DREAMQUARK = (
    "https://github.com/dreamquark-ai/tabnet/blob/2c0c4ebd2bb1cb639ea94ab4b11823bc49265588"
)
_SAINT = "https://github.com/somepago/saint/blob/e288e84c77a54cfd2ffb55a53678fb7cbbb16630"
_KERAS_TABTRANSFORMER = (
    "https://github.com/keras-team/keras-io/blob/28d2577f440ffcea1ae6a0feea026a4d9efd29d6/"
    "examples/structured_data/tabtransformer.py"
)
_KERAS_HYPER_QUOTE = (
    "LEARNING_RATE = 0.001 WEIGHT_DECAY = 0.0001 DROPOUT_RATE = 0.2 BATCH_SIZE = 265 NUM_EPOCHS "
    "= 15 NUM_TRANSFORMER_BLOCKS = 3 ... NUM_HEADS = 4 ... EMBEDDING_DIMS = 16 ... optimizer = "
    "keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay) ... "
)

RECIPES: tuple[Recipe, ...] = (
    # --- yandex-research/rtdl-revisiting-models (Gorishniy et al., arXiv:2106.11959) ---------
    Recipe(
        id="ft-transformer-default-adult-rtdl",
        area=Area.TABULAR,
        source_key="github:yandex-research/rtdl-revisiting-models",
        task=TaskDescription(
            description=(
                "Train an FT-Transformer (3 layers, 192-dim tokens, 8 heads) from scratch on the "
                "Adult census income table (binary classification, quantile-normalised numeric "
                "features), batch 256, with early stopping after 16 epochs without improvement."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            batch_size=256,
        ),
        optimizer=OptimizerName.ADAMW,
        lr=0.0001,
        weight_decay=1e-05,
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title=_RTDL_TITLE,
            url=f"{_RTDL}/output/adult/ft_transformer/default/0.toml",
            where="output/adult/ft_transformer/default/0.toml (the FT-Transformer default config)",
            quote=(
                "[model] activation = 'reglu' attention_dropout = 0.2 ... d_token = 192 "
                "ffn_dropout = 0.1 ... n_heads = 8 n_layers = 3 prenormalization = true ... "
                "[training] batch_size = 256 eval_batch_size = 8192 lr = 0.0001 lr_n_decays = 0 "
                "n_epochs = 1000000000 optimizer = 'adamw' patience = 16 weight_decay = 1e-05"
            ),
        ),
    ),
    Recipe(
        id="ft-transformer-tuned-covtype-rtdl",
        area=Area.TABULAR,
        source_key="github:yandex-research/rtdl-revisiting-models",
        task=TaskDescription(
            description=(
                "Train an FT-Transformer (2 layers, 424-dim tokens, 8 heads) from scratch on the "
                "Forest Covertype table (7-class classification), batch 1024, with early "
                "stopping after 16 epochs without improvement."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            batch_size=1024,
        ),
        optimizer=OptimizerName.ADAMW,
        lr=3.762989816330166e-05,
        weight_decay=0.0001239780004929955,
        schedule=ScheduleName.CONSTANT,
        batch_size=1024,
        citation=Citation(
            title=_RTDL_TITLE,
            url=f"{_RTDL}/output/covtype/ft_transformer/tuned/0.toml",
            where="output/covtype/ft_transformer/tuned/0.toml",
            quote=(
                "[model] activation = 'reglu' attention_dropout = 0.03815883962184247 ... "
                "d_token = 424 ffn_dropout = 0.2515503440562596 ... n_heads = 8 n_layers = 2 ... "
                "[training] batch_size = 1024 eval_batch_size = 8192 lr = 3.762989816330166e-05 "
                "n_epochs = 1000000000 optimizer = 'adamw' patience = 16 weight_decay = "
                "0.0001239780004929955"
            ),
        ),
    ),
    Recipe(
        id="mlp-tuned-california-housing-rtdl",
        area=Area.TABULAR,
        source_key="github:yandex-research/rtdl-revisiting-models",
        task=TaskDescription(
            description=(
                "Train a 3-hidden-layer MLP (510, 263, 363 units, dropout about 0.2) from scratch "
                "for regression on the California Housing table, batch 256, with early stopping "
                "after 16 epochs without improvement."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.MLP,
            regime=Regime.FROM_SCRATCH,
            batch_size=256,
        ),
        optimizer=OptimizerName.ADAMW,
        lr=0.001304086404538407,
        weight_decay=0.0001516844843295177,
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title=_RTDL_TITLE,
            url=f"{_RTDL}/output/california_housing/mlp/tuned/0.toml",
            where="output/california_housing/mlp/tuned/0.toml",
            quote=(
                "[model] d_layers = [ 510, 263, 363 ] dropout = 0.1973063643675128 [training] "
                "batch_size = 256 eval_batch_size = 8192 lr = 0.001304086404538407 n_epochs = "
                "1000000000 optimizer = 'adamw' patience = 16 weight_decay = "
                "0.0001516844843295177"
            ),
        ),
    ),
    Recipe(
        id="resnet-tuned-adult-rtdl",
        area=Area.TABULAR,
        source_key="github:yandex-research/rtdl-revisiting-models",
        task=TaskDescription(
            description=(
                "Train an 8-block tabular ResNet with batch norm (width 339) from scratch on the "
                "Adult census income table (binary classification), batch 256, with early "
                "stopping after 16 epochs without improvement."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.RESNET,
            regime=Regime.FROM_SCRATCH,
            batch_size=256,
        ),
        optimizer=OptimizerName.ADAMW,
        lr=0.003479353084932105,
        weight_decay=0.0,
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title=_RTDL_TITLE,
            url=f"{_RTDL}/output/adult/resnet/tuned/0.toml",
            where="output/adult/resnet/tuned/0.toml",
            quote=(
                "[model] activation = 'relu' d = 339 d_embedding = 348 d_hidden_factor = "
                "3.825346478547088 hidden_dropout = 0.2209100377552283 n_layers = 8 "
                "normalization = 'batchnorm' ... [training] batch_size = 256 eval_batch_size = "
                "8192 lr = 0.003479353084932105 n_epochs = 1000000000 optimizer = 'adamw' "
                "patience = 16 weight_decay = 0.0"
            ),
        ),
    ),
    # --- google-research/google-research tabnet (Arik & Pfister, arXiv:1908.07442) ----------
    Recipe(
        id="tabnet-covertype-google-research",
        area=Area.TABULAR,
        source_key="github:google-research/google-research",
        task=TaskDescription(
            description=(
                "Train TabNet (6 decision steps, feature dim 128, ghost batch norm with virtual "
                "batches of 512) from scratch on the Forest Covertype table, batch 16384, up to "
                "1M steps, gradients clipped at 2000."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.OTHER,
            regime=Regime.FROM_SCRATCH,
            batch_size=16384,
            steps=1000000,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.02,
        # Multiplied by 0.95 every 500 steps (tf.train.exponential_decay, not staircase).
        schedule=ScheduleName.EXPONENTIAL,
        batch_size=16384,
        citation=Citation(
            title=_TABNET_TITLE,
            url=f"{_GR}/066e6a12a3817e45919458090102abfc0a09d287/tabnet/experiment_covertype.py",
            where="tabnet/experiment_covertype.py (Training parameters)",
            quote=(
                "feature_dim=128, output_dim=64, num_decision_steps=6, relaxation_factor=1.5, "
                "batch_momentum=0.7, virtual_batch_size=512, ... max_steps = 1000000 ... "
                "init_localearning_rate = 0.02 decay_every = 500 decay_rate = 0.95 batch_size = "
                "16384 sparsity_loss_weight = 0.0001 gradient_thresh = 2000.0 ... learning_rate = "
                "tf.train.exponential_decay(init_localearning_rate, global_step=global_step, "
                "decay_steps=decay_every, decay_rate=decay_rate) optimizer = "
                "tf.train.AdamOptimizer(learning_rate=learning_rate)"
            ),
        ),
    ),
    Recipe(
        id="tabnet-poker-google-research",
        area=Area.TABULAR,
        source_key="github:google-research/google-research",
        task=TaskDescription(
            description=(
                "Train TabNet (5 decision steps, feature dim 32, virtual batches of 1024) from "
                "scratch on the Poker Hand table (10-class classification), batch 4096, 50k "
                "steps, gradients clipped at 2000."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.OTHER,
            regime=Regime.FROM_SCRATCH,
            batch_size=4096,
            steps=50000,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        schedule=ScheduleName.EXPONENTIAL,
        batch_size=4096,
        citation=Citation(
            title=_TABNET_TITLE,
            url=f"{_GR}/5231644b1e19a8b481461b54f37439ee7f4897b8/tabnet/experiment_poker.py",
            where="tabnet/experiment_poker.py (Training parameters)",
            quote=(
                "MAX_STEPS = 50000 ... INIT_LEARNING_RATE = 0.01 DECAY_EVERY = 500 DECAY_RATE = "
                "0.95 BATCH_SIZE = 4096 SPARSITY_LOSS_WEIGHT = 0.000001 GRADIENT_THRESH = 2000.0 "
                "... feature_dim=32, output_dim=16, num_decision_steps=5, relaxation_factor=1.5, "
                "batch_momentum=0.9, virtual_batch_size=1024, ... learning_rate = "
                "tf.train.exponential_decay(INIT_LEARNING_RATE, ...) optimizer = "
                "tf.train.AdamOptimizer(learning_rate=learning_rate)"
            ),
        ),
    ),
    # --- dreamquark-ai/tabnet (pytorch-tabnet package defaults) ----------------------------
    Recipe(
        id="tabnet-defaults-pytorch-tabnet",
        area=Area.TABULAR,
        source_key="github:dreamquark-ai/tabnet",
        task=TaskDescription(
            description=(
                "Train a TabNet classifier (3 decision steps, 8-dim decision and attention "
                "layers) from scratch on a tabular dataset with the pytorch-tabnet package, "
                "batch 1024 with ghost batches of 128, up to 200 epochs with early stopping "
                "(patience 10)."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.OTHER,
            regime=Regime.FROM_SCRATCH,
            batch_size=1024,
            epochs=200,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.02,
        # scheduler_fn defaults to None: the lr stays where it starts.
        schedule=ScheduleName.CONSTANT,
        batch_size=1024,
        citation=Citation(
            title="pytorch-tabnet: dreamquark-ai/tabnet",
            url=f"{_DREAMQUARK}/pytorch_tabnet/abstract_model.py",
            where="pytorch_tabnet/abstract_model.py field defaults; README.md parameter list",
            quote=(
                "n_d: int = 8 n_a: int = 8 n_steps: int = 3 ... optimizer_fn: Any = "
                "torch.optim.Adam optimizer_params: Dict = field(default_factory=lambda: "
                "dict(lr=2e-2)) || README: `scheduler_fn` : torch.optim.lr_scheduler "
                "(default=None) ... `max_epochs` : int (default = 200) ... `patience` : int "
                "(default = 10) ... `batch_size` : int (default=1024) ... `virtual_batch_size` : "
                "int (default=128)"
            ),
        ),
    ),
    # --- somepago/saint (Somepalli et al., arXiv:2106.01342) ---------------------------------
    Recipe(
        id="saint-defaults-openml",
        area=Area.TABULAR,
        source_key="github:somepago/saint",
        task=TaskDescription(
            description=(
                "Train SAINT (row and column attention transformer, depth 6, 8 heads, 32-dim "
                "feature embeddings) from scratch on an OpenML tabular classification dataset, "
                "batch 256, 100 epochs."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            batch_size=256,
            epochs=100,
        ),
        optimizer=OptimizerName.ADAMW,
        published_optimizer="torch.optim.AdamW with its default weight decay",
        lr=0.0001,
        # The cosine scheduler is only built on the SGD branch; the AdamW default runs constant.
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title="SAINT: Improved Neural Networks for Tabular Data: somepago/saint",
            url=f"{_SAINT}/train.py",
            where="train.py (argparse defaults, Choosing the optimizer)",
            quote=(
                "parser.add_argument('--embedding_size', default=32, type=int) "
                "parser.add_argument('--transformer_depth', default=6, type=int) "
                "parser.add_argument('--attention_heads', default=8, type=int) ... "
                "parser.add_argument('--optimizer', default='AdamW', ...) ... "
                "parser.add_argument('--lr', default=0.0001, type=float) "
                "parser.add_argument('--epochs', default=100, type=int) "
                "parser.add_argument('--batchsize', default=256, type=int) ... if opt.optimizer "
                "== 'SGD': ... scheduler = get_scheduler(opt, optimizer) ... elif opt.optimizer "
                "== 'AdamW': optimizer = optim.AdamW(model.parameters(),lr=opt.lr)"
            ),
        ),
    ),
    # --- keras-team/keras-io TabTransformer example (Huang et al., arXiv:2012.06678) --------
    Recipe(
        id="tabtransformer-adult-keras-io",
        area=Area.TABULAR,
        source_key="github:keras-team/keras-io",
        task=TaskDescription(
            description=(
                "Train a TabTransformer (3 transformer blocks, 4 heads, 16-dim categorical "
                "embeddings, about 92k weights) from scratch on the US Census Income table "
                "(48,842 rows, 5 numeric and 9 categorical features), batch 265, 15 epochs."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            model_params=92151,
            batch_size=265,
            epochs=15,
        ),
        optimizer=OptimizerName.ADAMW,
        lr=0.001,
        weight_decay=0.0001,
        schedule=ScheduleName.CONSTANT,
        batch_size=265,
        citation=Citation(
            title="Keras examples: Structured data learning with TabTransformer",
            url=_KERAS_TABTRANSFORMER,
            where="examples/structured_data/tabtransformer.py (Configure the hyperparameters)",
            quote=(
                "The dataset includes 48,842 instances with 14 input features: 5 numerical "
                "features and 9 categorical features. ... "
                + _KERAS_HYPER_QUOTE
                + "both the baseline and the TabTransformer have similar number of trainable "
                "weights: 109,629 and 92,151 respectively, and both use the same training "
                "hyperparameters."
            ),
        ),
    ),
    Recipe(
        id="mlp-baseline-adult-keras-io",
        area=Area.TABULAR,
        source_key="github:keras-team/keras-io",
        task=TaskDescription(
            description=(
                "Train a baseline feed-forward network with layer norm, dropout 0.2 and "
                "categorical embeddings (about 110k weights) from scratch on the US Census "
                "Income table (48,842 rows), batch 265, 15 epochs."
            ),
            domain=Domain.TABULAR,
            architecture=Architecture.MLP,
            regime=Regime.FROM_SCRATCH,
            model_params=109629,
            batch_size=265,
            epochs=15,
        ),
        optimizer=OptimizerName.ADAMW,
        lr=0.001,
        weight_decay=0.0001,
        schedule=ScheduleName.CONSTANT,
        batch_size=265,
        citation=Citation(
            title="Keras examples: Structured data learning with TabTransformer",
            url=_KERAS_TABTRANSFORMER,
            where="examples/structured_data/tabtransformer.py (Experiment 1: a baseline model)",
            quote=(
                _KERAS_HYPER_QUOTE
                + "NUM_MLP_BLOCKS = 2 # Number of MLP blocks in the baseline model. ... both the "
                "baseline and the TabTransformer have similar number of trainable weights: "
                "109,629 and 92,151 respectively, and both use the same training "
                "hyperparameters."
            ),
        ),
    ),
)
