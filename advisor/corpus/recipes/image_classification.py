"""Image classification from scratch: ResNet/ResNeXt, ViT/DeiT/Swin, ConvNeXt, EfficientNet,
MobileNet, on ImageNet-1k and CIFAR-10.

Every number was read in the cited file (official repositories' configs, argparse defaults and
README commands). Where a recipe relies on a script default, the quote names the default as the
script states it. Global batch = GPUs x per-GPU batch (x accumulation) as the source says; lrs
scaled by the source's own rule are computed and the rule is quoted.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName as O
from advisor.task import Architecture, Domain, Regime
from advisor.task import TaskDescription as T

_TV = "https://github.com/pytorch/vision/blob/main/references/classification"
_CONVNEXT = "https://github.com/facebookresearch/ConvNeXt/blob/main"
_SWIN = "https://github.com/microsoft/Swin-Transformer/blob/main"
_DEIT = "https://github.com/facebookresearch/deit/blob/main"
_TIMM = "https://github.com/huggingface/pytorch-image-models/blob/5ccf682a8fe076b89e673ae75430814a6fe70bce"
_CIFAR = "https://github.com/kuangliu/pytorch-cifar/blob/49b7aa97b0c12fe0d4054e670403a16b6b834ddd"

_TV_TITLE = "torchvision classification reference training scripts"
_TV_WHERE = "references/classification/README.md and train.py (argparse defaults)"

RECIPES: tuple[Recipe, ...] = (
    # --- torchvision reference recipes ------------------------------------------------------
    Recipe(
        id="resnet50-imagenet-torchvision",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:pytorch/vision",
        task=T(
            description=(
                "Train a ResNet-50 from scratch on ImageNet-1k, global batch 256 (32 per GPU on 8 "
                "GPUs), for 90 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            regime=Regime.FROM_SCRATCH,
            batch_size=256,
            epochs=90,
        ),
        optimizer=O.MOMENTUM,
        published_optimizer="torch.optim.SGD(momentum=0.9, nesterov=False)",
        lr=0.1,
        weight_decay=1e-4,
        momentum=0.9,
        schedule=ScheduleName.STEP,
        batch_size=256,
        citation=Citation(
            title=_TV_TITLE,
            url=f"{_TV}/README.md",
            where=_TV_WHERE,
            quote=(
                "Except otherwise noted, all models have been trained on 8x V100 GPUs with the "
                "following parameters: | `--batch_size` | `32` | `--epochs` | `90` | `--lr` | "
                "`0.1` | `--momentum` | `0.9` | `--wd`, `--weight-decay` | `1e-4` | "
                "`--lr-step-size` | `30` | `--lr-gamma` | `0.1` ... ### ResNet torchrun "
                "--nproc_per_node=8 train.py --model $MODEL ... Here `$MODEL` is one of ... "
                '`resnet50` ... [train.py] --opt default="sgd" ... torch.optim.SGD(parameters, '
                "lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay, "
                'nesterov="nesterov" in opt_name)'
            ),
        ),
    ),
    Recipe(
        id="vit-b16-imagenet-torchvision",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:pytorch/vision",
        task=T(
            description=(
                "Train a ViT-B/16 from scratch on ImageNet-1k, global batch 4096 (512 per GPU on 8 "
                "GPUs), 300 epochs, with mixup, cutmix, RandAugment, label "
                "smoothing, EMA and gradient clipping at norm 1."
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            regime=Regime.FROM_SCRATCH,
            batch_size=4096,
            epochs=300,
        ),
        optimizer=O.ADAMW,
        lr=0.003,
        weight_decay=0.3,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.1,  # 30 of 300 epochs
        warmup="30 epochs, linear from 0.033 x lr",
        batch_size=4096,
        citation=Citation(
            title=_TV_TITLE,
            url=f"{_TV}/README.md",
            where="references/classification/README.md, section Vision Transformer / vit_b_16",
            quote=(
                "torchrun --nproc_per_node=8 train.py --model vit_b_16 --epochs 300 --batch-size "
                "512 --opt adamw --lr 0.003 --wd 0.3 --lr-scheduler cosineannealinglr "
                "--lr-warmup-method linear --lr-warmup-epochs 30 --lr-warmup-decay 0.033 --amp "
                "--label-smoothing 0.11 --mixup-alpha 0.2 --auto-augment ra --clip-grad-norm 1 "
                "--ra-sampler --cutmix-alpha 1.0 --model-ema ... For generating the pre-trained "
                "weights, we trained with 8 nodes, each with 8 GPUs (for a total of 64 GPUs), and "
                "`--batch_size 64`."
            ),
        ),
    ),
    Recipe(
        id="mobilenetv3-large-imagenet-torchvision",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:pytorch/vision",
        task=T(
            description=(
                "Train MobileNetV3-Large from scratch on ImageNet-1k, global batch 1024 (128 "
                "per GPU on 8 GPUs), 600 epochs, AutoAugment and random erasing."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=1024,
            epochs=600,
        ),
        optimizer=O.RMSPROP,
        published_optimizer="torch.optim.RMSprop(alpha=0.9, eps=0.0316, momentum=0.9)",
        lr=0.064,
        weight_decay=1e-5,
        momentum=0.9,
        eps=0.0316,
        # lr x 0.973 every 2 epochs: a staircase exponential decay.
        schedule=ScheduleName.STEP,
        batch_size=1024,
        citation=Citation(
            title=_TV_TITLE,
            url=f"{_TV}/README.md",
            where=_TV_WHERE + ", section MobileNetV3 Large & Small",
            quote=(
                "torchrun --nproc_per_node=8 train.py --model $MODEL --epochs 600 --opt rmsprop "
                "--batch-size 128 --lr 0.064 --wd 0.00001 --lr-step-size 2 --lr-gamma 0.973 "
                "--auto-augment imagenet --random-erase 0.2 ... Here `$MODEL` is one of "
                "`mobilenet_v3_large` or `mobilenet_v3_small`. [train.py] elif opt_name == "
                '"rmsprop": optimizer = torch.optim.RMSprop(parameters, lr=args.lr, '
                "momentum=args.momentum, weight_decay=args.weight_decay, eps=0.0316, alpha=0.9) "
                '... parser.add_argument("--momentum", default=0.9'
            ),
        ),
    ),
    Recipe(
        id="efficientnetv2-s-imagenet-torchvision",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:pytorch/vision",
        task=T(
            description=(
                "Train EfficientNetV2-S from scratch on ImageNet-1k at 300px, global batch 1024 "
                "(128 per GPU on 8 GPUs), 600 epochs, TrivialAugment, mixup/cutmix, label "
                "smoothing and EMA."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=1024,
            epochs=600,
        ),
        optimizer=O.MOMENTUM,
        published_optimizer="torch.optim.SGD(momentum=0.9) (train.py default --opt sgd)",
        lr=0.5,
        weight_decay=2e-5,
        momentum=0.9,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=5 / 600,
        warmup="5 epochs, linear",
        batch_size=1024,
        citation=Citation(
            title=_TV_TITLE,
            url=f"{_TV}/README.md",
            where=_TV_WHERE + ", section EfficientNet-V2",
            quote=(
                "torchrun --nproc_per_node=8 train.py --model $MODEL --batch-size 128 --lr 0.5 "
                "--lr-scheduler cosineannealinglr --lr-warmup-epochs 5 --lr-warmup-method linear "
                "--auto-augment ta_wide --epochs 600 --random-erase 0.1 --label-smoothing 0.1 "
                "--mixup-alpha 0.2 --cutmix-alpha 1.0 --weight-decay 0.00002 --norm-weight-decay "
                "0.0 --train-crop-size $TRAIN_SIZE --model-ema ... Here `$MODEL` is one of "
                "`efficientnet_v2_s` and `efficientnet_v2_m`. Note that the Small variant had a "
                '`$TRAIN_SIZE` of `300` ... [train.py] --opt default="sgd" ... --momentum '
                "default=0.9"
            ),
        ),
    ),
    # --- official model repositories -----------------------------------------------------
    Recipe(
        id="convnext-tiny-imagenet-official",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:facebookresearch/ConvNeXt",
        task=T(
            description=(
                "Train ConvNeXt-T from scratch on ImageNet-1k, effective batch 4096 (128 per GPU "
                "on 4 nodes of 8 GPUs), 300 epochs, stochastic depth 0.1, EMA."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=4096,
            epochs=300,
        ),
        optimizer=O.ADAMW,
        lr=4e-3,
        weight_decay=0.05,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=20 / 300,
        warmup="20 epochs",
        batch_size=4096,
        citation=Citation(
            title="ConvNeXt (A ConvNet for the 2020s), official code",
            url=f"{_CONVNEXT}/TRAINING.md",
            where="TRAINING.md (ImageNet-1K Training) and main.py argparse defaults",
            quote=(
                "ConvNeXt-T training on ImageNet-1K with 4 8-GPU nodes: python "
                "run_with_submitit.py --nodes 4 --ngpus 8 --model convnext_tiny --drop_path 0.1 "
                "--batch_size 128 --lr 4e-3 --update_freq 1 --model_ema true ... the effective "
                "batch size is `4*8*128*1 = 4096`. [main.py] '--epochs', default=300 ... '--opt', "
                "default='adamw' ... '--opt_eps', default=1e-8 ... '--weight_decay', "
                "default=0.05 ... '--warmup_epochs', default=20 ... lr_schedule_values = "
                "utils.cosine_scheduler(args.lr, args.min_lr, args.epochs, ..."
            ),
        ),
    ),
    Recipe(
        id="swin-tiny-imagenet-official",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:microsoft/Swin-Transformer",
        task=T(
            description=(
                "Train a Swin-T (28M parameters) from scratch on ImageNet-1k, global batch 1024 "
                "(128 per GPU on 8 GPUs), 300 epochs, gradient clipping at 5."
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            regime=Regime.FROM_SCRATCH,
            model_params=28_000_000,
            batch_size=1024,
            epochs=300,
        ),
        optimizer=O.ADAMW,
        lr=1e-3,  # 5e-4 x 1024 / 512, the repository's linear scaling rule
        weight_decay=0.05,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=20 / 300,
        warmup="20 epochs",
        batch_size=1024,
        citation=Citation(
            title="Swin Transformer, official code",
            url=f"{_SWIN}/config.py",
            where="config.py defaults; get_started.md (Swin-T command); main.py lr scaling",
            quote=(
                "_C.TRAIN.EPOCHS = 300 _C.TRAIN.WARMUP_EPOCHS = 20 _C.TRAIN.WEIGHT_DECAY = 0.05 "
                "_C.TRAIN.BASE_LR = 5e-4 ... _C.TRAIN.CLIP_GRAD = 5.0 ... "
                "_C.TRAIN.LR_SCHEDULER.NAME = 'cosine' ... _C.TRAIN.OPTIMIZER.NAME = 'adamw' "
                "_C.TRAIN.OPTIMIZER.EPS = 1e-8 _C.TRAIN.OPTIMIZER.BETAS = (0.9, 0.999) "
                "[get_started.md] to train `Swin Transformer` with 8 GPU ... `Swin-T`: ... "
                "--nproc_per_node 8 ... --batch-size 128 ... | Swin-T | 224x224 | 81.2 | 95.5 | "
                "28M | [main.py] linear_scaled_lr = config.TRAIN.BASE_LR * "
                "config.DATA.BATCH_SIZE * dist.get_world_size() / 512.0"
            ),
        ),
    ),
    Recipe(
        id="deit-small-imagenet-official",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:facebookresearch/deit",
        task=T(
            description=(
                "Train DeiT-S (22M parameter vision transformer) from scratch on ImageNet-1k, "
                "global batch 1024 (256 per GPU on 4 GPUs), 300 epochs, RandAugment, "
                "mixup/cutmix, repeated augmentation."
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            regime=Regime.FROM_SCRATCH,
            model_params=22_000_000,
            batch_size=1024,
            epochs=300,
        ),
        optimizer=O.ADAMW,
        lr=1e-3,  # 5e-4 x 1024 / 512, the script's linear scaling rule
        weight_decay=0.05,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=5 / 300,
        warmup="5 epochs from 1e-6",
        batch_size=1024,
        citation=Citation(
            title="DeiT: Data-efficient Image Transformers, official code",
            url=f"{_DEIT}/main.py",
            where="README_deit.md (Training) and main.py argparse defaults",
            quote=(
                "To train DeiT-small and Deit-tiny on ImageNet on a single node with 4 gpus for "
                "300 epochs run: ... --nproc_per_node=4 --use_env main.py --model "
                "deit_small_patch16_224 --batch-size 256 ... | DeiT-small | 79.9 | 95.0 | 22M | "
                "[main.py] '--opt', default='adamw' ... '--opt-eps', default=1e-8 ... "
                "'--weight-decay', type=float, default=0.05 ... '--sched', default='cosine' ... "
                "'--lr', type=float, default=5e-4 ... '--warmup-lr', type=float, default=1e-6 ... "
                "'--warmup-epochs', type=int, default=5 ... linear_scaled_lr = args.lr * "
                "args.batch_size * utils.get_world_size() / 512.0"
            ),
        ),
    ),
    # --- timm ------------------------------------------------------------------------------
    Recipe(
        id="efficientnet-b2-imagenet-timm",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:huggingface/pytorch-image-models",
        task=T(
            description=(
                "Train EfficientNet-B2 from scratch on ImageNet-1k, global batch 256 (128 per "
                "GPU on two GPUs), 450 epochs, RandAugment, dropout 0.3, EMA."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=256,
            epochs=450,
        ),
        optimizer=O.RMSPROP,
        published_optimizer="rmsproptf (TensorFlow-style RMSprop, timm)",
        lr=0.016,
        weight_decay=1e-5,
        eps=1e-3,
        # lr x 0.97 every 2.4 epochs: a staircase exponential decay.
        schedule=ScheduleName.STEP,
        batch_size=256,
        citation=Citation(
            title="timm (pytorch-image-models) training examples",
            url=f"{_TIMM}/docs/training_hparam_examples.md",
            where="docs/training_hparam_examples.md, EfficientNet-B2 with RandAugment",
            quote=(
                "EfficientNet-B2 with RandAugment - 80.4 top-1, 95.1 top-5 These params are for "
                "dual Titan RTX cards with NVIDIA Apex installed: `./distributed_train.sh 2 "
                "/imagenet/ --model efficientnet_b2 -b 128 --sched step --epochs 450 "
                "--decay-epochs 2.4 --decay-rate .97 --opt rmsproptf --opt-eps .001 -j 8 "
                "--warmup-lr 1e-6 --weight-decay 1e-5 --drop 0.3 --drop-path 0.2 --model-ema "
                "--model-ema-decay 0.9999 --aa rand-m9-mstd0.5 --remode pixel --reprob 0.2 --amp "
                "--lr .016`"
            ),
        ),
    ),
    Recipe(
        id="resnext50-imagenet-timm",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:huggingface/pytorch-image-models",
        task=T(
            description=(
                "Train a ResNeXt-50 32x4d from scratch on ImageNet-1k, global batch 1536 (192 per "
                "GPU on 8 GPUs), 240 epochs, RandAugment and random erasing."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            regime=Regime.FROM_SCRATCH,
            batch_size=1536,
            epochs=240,
        ),
        optimizer=O.NESTEROV,
        published_optimizer="timm 'sgd' (torch SGD with Nesterov momentum)",
        lr=0.6,
        weight_decay=1e-4,
        momentum=0.9,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=5 / 240,
        warmup="5 epochs",
        batch_size=1536,
        citation=Citation(
            title="timm (pytorch-image-models) training examples",
            url=f"{_TIMM}/docs/training_hparam_examples.md",
            where=(
                "docs/training_hparam_examples.md (ResNeXt-50 32x4d); train.py defaults; "
                "timm/optim/_optim_factory.py (current main)"
            ),
            quote=(
                "ResNeXt-50 32x4d w/ RandAugment - 79.762 top-1, 94.60 top-5 ... The cmd line "
                "below are tuned for 8 GPU training. `./distributed_train.sh 8 /imagenet --model "
                "resnext50_32x4d --lr 0.6 --warmup-epochs 5 --epochs 240 --weight-decay 1e-4 "
                "--sched cosine --reprob 0.4 --recount 3 --remode pixel --aa "
                "rand-m7-mstd0.5-inc1 -b 192 -j 6 --amp --dist-bn reduce` [train.py] '--opt', "
                "default='sgd' ... '--momentum', type=float, default=0.9 [timm optim factory] "
                "name='sgd', opt_class=torch.optim.SGD, description='torch.Optim Stochastic "
                "Gradient Descent (SGD) with Nesterov momentum' ... defaults={'nesterov': True}"
            ),
        ),
    ),
    # --- CIFAR-10 --------------------------------------------------------------------------
    Recipe(
        id="resnet18-cifar10-kuangliu",
        area=Area.IMAGE_CLASSIFICATION,
        source_key="github:kuangliu/pytorch-cifar",
        task=T(
            description=(
                "Train a ResNet-18 from scratch on CIFAR-10 (32x32 images, random crop and flip), "
                "batch 128, 200 epochs, on one GPU."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            regime=Regime.FROM_SCRATCH,
            batch_size=128,
            epochs=200,
        ),
        optimizer=O.MOMENTUM,
        lr=0.1,
        weight_decay=5e-4,
        momentum=0.9,
        schedule=ScheduleName.COSINE,
        batch_size=128,
        citation=Citation(
            title="kuangliu/pytorch-cifar: Train CIFAR10 with PyTorch",
            url=f"{_CIFAR}/main.py",
            where="main.py (argparse default, data loader, optimizer, scheduler); README table",
            quote=(
                "parser.add_argument('--lr', default=0.1, type=float, help='learning rate') ... "
                "trainloader = torch.utils.data.DataLoader(trainset, batch_size=128, "
                "shuffle=True, num_workers=2) ... optimizer = optim.SGD(net.parameters(), "
                "lr=args.lr, momentum=0.9, weight_decay=5e-4) scheduler = "
                "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200) ... for epoch "
                "in range(start_epoch, start_epoch+200): ... [README] | ResNet18 | 93.02% |"
            ),
        ),
    ),
)
