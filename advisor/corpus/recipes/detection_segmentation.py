"""Detection and segmentation: Faster/Mask R-CNN, RetinaNet, SSD, DETR, YOLOv5, DeepLabV3+,
SegFormer and U-Net, on COCO, ADE20K, Cityscapes, DRIVE and Carvana.

Every number was read in the cited config or script at the commit (or release tag) in its URL;
the quote holds the lines. Global batch = GPUs x images per GPU as the source states it
(mmsegmentation encodes it in the config name: ``8xb2`` is 8 GPUs x 2 images).

``regime`` is left unset where a detector or segmenter starts from an ImageNet-pretrained
backbone with new heads: that is neither training from scratch nor fine-tuning a model on its
own task, and the description says which it is. Records with random initialisation say
``from_scratch``.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName as O
from advisor.task import Architecture, Domain, Regime
from advisor.task import TaskDescription as T

_D2 = "https://github.com/facebookresearch/detectron2/blob/02b5c4e295e990042a714712c21dc79b731e8833"
_TV = "https://github.com/pytorch/vision/blob/main/references/detection"
_DETR = "https://github.com/facebookresearch/detr/blob/29901c51d7fe8712168b8d0d64351170bc0f83e0"
_MMSEG = "https://github.com/open-mmlab/mmsegmentation/blob/v1.2.2/configs"
_YOLO = "https://github.com/ultralytics/yolov5/blob/5081342f04fb287fc2e5f2b5a4e06752b7937b1c"
_UNET = "https://github.com/milesial/Pytorch-UNet/blob/21d7850f2af30a9695bbeea75f3136aa538cfc4a"

_D2_TITLE = "Detectron2 model zoo configs"
_D2_DEFAULTS = (
    '[defaults.py] _C.SOLVER.LR_SCHEDULER_NAME = "WarmupMultiStepLR" ... _C.SOLVER.MOMENTUM = '
    "0.9 _C.SOLVER.NESTEROV = False _C.SOLVER.WEIGHT_DECAY = 0.0001 ... _C.SOLVER.GAMMA = 0.1 "
    "... _C.SOLVER.WARMUP_FACTOR = 1.0 / 1000 _C.SOLVER.WARMUP_ITERS = 1000 "
    '_C.SOLVER.WARMUP_METHOD = "linear"'
)
_TV_TITLE = "torchvision detection reference training scripts"
_TV_DEFAULTS = (
    "[train.py] The default hyperparameters are tuned for training on 8 gpus and 2 images per "
    "gpu. --lr 0.02 --batch-size 2 --world-size 8 ... '--momentum', default=0.9 ... "
    "optimizer = torch.optim.SGD(params, lr=args.lr, momentum=args.momentum, "
    "weight_decay=args.weight_decay)"
)
_MMSEG_TITLE = "MMSegmentation configs (v1.2.2)"

RECIPES: tuple[Recipe, ...] = (
    # --- detectron2 ------------------------------------------------------------------------
    Recipe(
        id="faster-rcnn-r50-fpn-1x-coco-detectron2",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:facebookresearch/detectron2",
        task=T(
            description=(
                "Train a Faster R-CNN with a ResNet-50 FPN backbone (ImageNet-pretrained) for "
                "object detection on COCO 2017, 16 images per batch, 90k iterations (the 1x "
                "schedule)."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            batch_size=16,
            steps=90_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.02,
        weight_decay=1e-4,
        momentum=0.9,
        # Multi-step decay (x0.1 at 60k and 80k) after a 1000-iteration linear warm-up.
        schedule=ScheduleName.STEP,
        warmup_fraction=1000 / 90_000,
        warmup="1000 iterations, linear from 0.001 x lr",
        batch_size=16,
        citation=Citation(
            title=_D2_TITLE,
            url=f"{_D2}/configs/Base-RCNN-FPN.yaml",
            where=(
                "configs/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml, configs/Base-RCNN-FPN.yaml, "
                "detectron2/config/defaults.py"
            ),
            quote=(
                '[faster_rcnn_R_50_FPN_1x.yaml] _BASE_: "../Base-RCNN-FPN.yaml" MODEL: WEIGHTS: '
                '"detectron2://ImageNetPretrained/MSRA/R-50.pkl" [Base-RCNN-FPN.yaml] DATASETS: '
                'TRAIN: ("coco_2017_train",) ... SOLVER: IMS_PER_BATCH: 16 BASE_LR: 0.02 STEPS: '
                "(60000, 80000) MAX_ITER: 90000 " + _D2_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="retinanet-r50-fpn-1x-coco-detectron2",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:facebookresearch/detectron2",
        task=T(
            description=(
                "Train a RetinaNet one-stage detector with an ImageNet-pretrained ResNet-50 FPN "
                "backbone on COCO 2017, 16 images per batch, 90k iterations."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            batch_size=16,
            steps=90_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.01,
        weight_decay=1e-4,
        momentum=0.9,
        schedule=ScheduleName.STEP,
        warmup_fraction=1000 / 90_000,
        warmup="1000 iterations, linear from 0.001 x lr",
        batch_size=16,
        citation=Citation(
            title=_D2_TITLE,
            url=f"{_D2}/configs/Base-RetinaNet.yaml",
            where="configs/Base-RetinaNet.yaml, detectron2/config/defaults.py",
            quote=(
                '[Base-RetinaNet.yaml] META_ARCHITECTURE: "RetinaNet" ... DATASETS: TRAIN: '
                '("coco_2017_train",) ... SOLVER: IMS_PER_BATCH: 16 BASE_LR: 0.01  # Note that '
                "RetinaNet uses a different default learning rate STEPS: (60000, 80000) "
                "MAX_ITER: 90000 " + _D2_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="mask-rcnn-r50-fpn-3x-coco-detectron2",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:facebookresearch/detectron2",
        task=T(
            description=(
                "Train a Mask R-CNN for instance segmentation on COCO 2017 with an "
                "ImageNet-pretrained ResNet-50 FPN backbone, 16 images per batch, 270k "
                "iterations (the 3x schedule)."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            batch_size=16,
            steps=270_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.02,
        weight_decay=1e-4,
        momentum=0.9,
        schedule=ScheduleName.STEP,
        warmup_fraction=1000 / 270_000,
        warmup="1000 iterations, linear from 0.001 x lr",
        batch_size=16,
        citation=Citation(
            title=_D2_TITLE,
            url=f"{_D2}/configs/COCO-InstanceSegmentation/mask_rcnn_R_50_FPN_3x.yaml",
            where=(
                "configs/COCO-InstanceSegmentation/mask_rcnn_R_50_FPN_3x.yaml, "
                "configs/Base-RCNN-FPN.yaml, detectron2/config/defaults.py"
            ),
            quote=(
                '[mask_rcnn_R_50_FPN_3x.yaml] _BASE_: "../Base-RCNN-FPN.yaml" MODEL: WEIGHTS: '
                '"detectron2://ImageNetPretrained/MSRA/R-50.pkl" MASK_ON: True ... SOLVER: '
                "STEPS: (210000, 250000) MAX_ITER: 270000 [Base-RCNN-FPN.yaml] SOLVER: "
                "IMS_PER_BATCH: 16 BASE_LR: 0.02 " + _D2_DEFAULTS
            ),
        ),
    ),
    # --- torchvision detection references --------------------------------------------------
    Recipe(
        id="ssdlite320-mobilenetv3-coco-torchvision",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:pytorch/vision",
        task=T(
            description=(
                "Train an SSDlite320 detector with a MobileNetV3-Large backbone on COCO, backbone "
                "not pretrained, global batch 192 (24 per GPU on 8 GPUs), 660 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=192,
            epochs=660,
        ),
        # Backbone not pretrained: pytorch/vision PR #6536 ("Fix incorrect recipe for
        # SSDlite320") removed --weights-backbone from this command for that reason.
        optimizer=O.MOMENTUM,
        lr=0.15,
        weight_decay=4e-5,
        momentum=0.9,
        schedule=ScheduleName.COSINE,
        batch_size=192,
        citation=Citation(
            title=_TV_TITLE,
            url=f"{_TV}/README.md",
            where="references/detection/README.md (SSDlite320 MobileNetV3-Large); train.py",
            quote=(
                "Except otherwise noted, all models have been trained on 8x V100 GPUs. ... "
                "### SSDlite320 MobileNetV3-Large torchrun --nproc_per_node=8 train.py --dataset "
                "coco --model ssdlite320_mobilenet_v3_large --epochs 660 "
                "--aspect-ratio-group-factor 3 --lr-scheduler cosineannealinglr --lr 0.15 "
                "--batch-size 24 --weight-decay 0.00004 --data-augmentation ssdlite " + _TV_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="ssd300-vgg16-coco-torchvision",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:pytorch/vision",
        task=T(
            description=(
                "Train an SSD300 detector with an ImageNet-pretrained VGG16 backbone on COCO, "
                "global batch 32 (4 per GPU on 8 GPUs), 120 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            batch_size=32,
            epochs=120,
        ),
        optimizer=O.MOMENTUM,
        lr=0.002,
        weight_decay=5e-4,
        momentum=0.9,
        schedule=ScheduleName.STEP,
        batch_size=32,
        citation=Citation(
            title=_TV_TITLE,
            url=f"{_TV}/README.md",
            where="references/detection/README.md (SSD300 VGG16); train.py",
            quote=(
                "### SSD300 VGG16 torchrun --nproc_per_node=8 train.py --dataset coco --model "
                "ssd300_vgg16 --epochs 120 --lr-steps 80 110 --aspect-ratio-group-factor 3 --lr "
                "0.002 --batch-size 4 --weight-decay 0.0005 --data-augmentation ssd "
                "--weights-backbone VGG16_Weights.IMAGENET1K_FEATURES " + _TV_DEFAULTS
            ),
        ),
    ),
    # --- DETR ------------------------------------------------------------------------------
    Recipe(
        id="detr-r50-coco-official",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:facebookresearch/detr",
        task=T(
            description=(
                "Train DETR (transformer encoder-decoder detector on an ImageNet-pretrained "
                "ResNet-50) on COCO, global batch 16 (2 per GPU on 8 GPUs), 300 epochs, "
                "gradient clipping at 0.1."
            ),
            domain=Domain.VISION,
            architecture=Architecture.TRANSFORMER,
            batch_size=16,
            epochs=300,
        ),
        optimizer=O.ADAMW,
        published_optimizer="AdamW, lr 1e-4 for the transformer and 1e-5 for the backbone",
        lr=1e-4,
        weight_decay=1e-4,
        # StepLR: x0.1 once, at epoch 200.
        schedule=ScheduleName.STEP,
        batch_size=16,
        citation=Citation(
            title="DETR: End-to-End Object Detection with Transformers, official code",
            url=f"{_DETR}/main.py",
            where="main.py argparse defaults and optimizer; README.md Training",
            quote=(
                "parser.add_argument('--lr', default=1e-4, type=float) "
                "parser.add_argument('--lr_backbone', default=1e-5, type=float) "
                "parser.add_argument('--batch_size', default=2, type=int) "
                "parser.add_argument('--weight_decay', default=1e-4, type=float) "
                "parser.add_argument('--epochs', default=300, type=int) "
                "parser.add_argument('--lr_drop', default=200, type=int) "
                "parser.add_argument('--clip_max_norm', default=0.1, ...) ... optimizer = "
                "torch.optim.AdamW(param_dicts, lr=args.lr, weight_decay=args.weight_decay) "
                "lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, args.lr_drop) "
                "[README] To train baseline DETR on a single node with 8 gpus for 300 epochs run: "
                "python -m torch.distributed.launch --nproc_per_node=8 --use_env main.py"
            ),
        ),
    ),
    # --- YOLOv5 ----------------------------------------------------------------------------
    Recipe(
        id="yolov5s-coco-scratch-ultralytics",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:ultralytics/yolov5",
        task=T(
            description=(
                "Train a YOLOv5s object detector from scratch (no pretrained weights) on COCO at "
                "640px, batch 64 on one V100, 300 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            epochs=300,
        ),
        optimizer=O.NESTEROV,
        published_optimizer="torch.optim.SGD(momentum=0.937, nesterov=True)",
        lr=0.01,
        weight_decay=5e-4,
        momentum=0.937,
        # Linear decay from lr0 to lr0 x lrf (lrf = 0.01) after a 3-epoch warm-up.
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=3 / 300,
        warmup="3 epochs (at least 100 iterations)",
        batch_size=64,
        citation=Citation(
            title="Ultralytics YOLOv5",
            url=f"{_YOLO}/data/hyps/hyp.scratch-low.yaml",
            where="data/hyps/hyp.scratch-low.yaml; train.py; utils/torch_utils.py; README.md",
            quote=(
                "[README] python train.py --data coco.yaml --epochs 300 --weights '' --cfg "
                "yolov5s.yaml --batch-size 64 [hyp.scratch-low.yaml] lr0: 0.01 ... lrf: 0.01 # "
                "final OneCycleLR learning rate (lr0 * lrf) momentum: 0.937 # SGD momentum/Adam "
                "beta1 weight_decay: 0.0005 ... warmup_epochs: 3.0 [train.py] --hyp default=ROOT "
                '/ "data/hyps/hyp.scratch-low.yaml" ... --optimizer ... default="SGD" ... return '
                '(1 - x / epochs) * (1.0 - hyp["lrf"]) + hyp["lrf"]  # linear [torch_utils.py] '
                "optimizer = torch.optim.SGD(g[2], lr=lr, momentum=momentum, nesterov=True)"
            ),
        ),
    ),
    # --- MMSegmentation --------------------------------------------------------------------
    Recipe(
        id="segformer-b0-ade20k-mmseg",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:open-mmlab/mmsegmentation",
        task=T(
            description=(
                "Train a SegFormer-B0 (ImageNet-pretrained MiT-B0 encoder) for semantic "
                "segmentation on ADE20K at 512x512 crops, batch 16 (2 per GPU on 8 GPUs), "
                "160k iterations."
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            batch_size=16,
            steps=160_000,
        ),
        optimizer=O.ADAMW,
        lr=6e-5,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        # Linear warm-up for 1500 iterations, then PolyLR with power 1.0 to 0: a linear decay.
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=1500 / 160_000,
        warmup="1500 iterations, linear",
        batch_size=16,
        citation=Citation(
            title=_MMSEG_TITLE,
            url=f"{_MMSEG}/segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py",
            where="configs/segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py",
            quote=(
                "_base_ = [... '../_base_/datasets/ade20k.py', ... "
                "'../_base_/schedules/schedule_160k.py'] ... backbone=dict(init_cfg=dict("
                "type='Pretrained', checkpoint=checkpoint)) ... optimizer=dict(type='AdamW', "
                "lr=0.00006, betas=(0.9, 0.999), weight_decay=0.01), paramwise_cfg=dict(... "
                "'head': dict(lr_mult=10.) ... param_scheduler = [dict(type='LinearLR', "
                "start_factor=1e-6, by_epoch=False, begin=0, end=1500), dict(type='PolyLR', "
                "eta_min=0.0, power=1.0, begin=1500, end=160000, by_epoch=False,)] "
                "train_dataloader = dict(batch_size=2, num_workers=2)"
            ),
        ),
    ),
    Recipe(
        id="deeplabv3plus-r50-cityscapes-mmseg",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:open-mmlab/mmsegmentation",
        task=T(
            description=(
                "Train DeepLabV3+ with an ImageNet-pretrained ResNet-50 (dilated, output stride "
                "8) on Cityscapes at 512x1024 crops, batch 8 (2 per GPU on 4 GPUs), 80k "
                "iterations."
            ),
            domain=Domain.VISION,
            architecture=Architecture.RESNET,
            batch_size=8,
            steps=80_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.01,
        weight_decay=5e-4,
        momentum=0.9,
        schedule=None,  # PolyLR, power 0.9, to 1e-4
        batch_size=8,
        citation=Citation(
            title=_MMSEG_TITLE,
            url=f"{_MMSEG}/deeplabv3plus/deeplabv3plus_r50-d8_4xb2-80k_cityscapes-512x1024.py",
            where=(
                "configs/deeplabv3plus/deeplabv3plus_r50-d8_4xb2-80k_cityscapes-512x1024.py, "
                "_base_/schedules/schedule_80k.py, _base_/datasets/cityscapes.py, "
                "_base_/models/deeplabv3plus_r50-d8.py"
            ),
            quote=(
                "_base_ = ['../_base_/models/deeplabv3plus_r50-d8.py', "
                "'../_base_/datasets/cityscapes.py', ... '../_base_/schedules/schedule_80k.py'] "
                "crop_size = (512, 1024) [schedule_80k.py] optimizer = dict(type='SGD', lr=0.01, "
                "momentum=0.9, weight_decay=0.0005) ... dict(type='PolyLR', eta_min=1e-4, "
                "power=0.9, begin=0, end=80000, by_epoch=False) ... max_iters=80000 "
                "[cityscapes.py] train_dataloader = dict(batch_size=2, ... "
                "[deeplabv3plus_r50-d8.py] pretrained='open-mmlab://resnet50_v1c'"
            ),
        ),
    ),
    Recipe(
        id="unet-drive-vessels-mmseg",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:open-mmlab/mmsegmentation",
        task=T(
            description=(
                "Train a U-Net (5 stages) with an FCN head from scratch for retinal vessel "
                "segmentation on DRIVE with 64x64 crops, batch 16 (4 per GPU on 4 GPUs), "
                "40k iterations."
            ),
            domain=Domain.VISION,
            architecture=Architecture.UNET,
            regime=Regime.FROM_SCRATCH,
            batch_size=16,
            steps=40_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.01,
        weight_decay=5e-4,
        momentum=0.9,
        schedule=None,  # PolyLR, power 0.9, to 1e-4
        batch_size=16,
        citation=Citation(
            title=_MMSEG_TITLE,
            url=f"{_MMSEG}/unet/unet-s5-d16_fcn_4xb4-40k_drive-64x64.py",
            where=(
                "configs/unet/unet-s5-d16_fcn_4xb4-40k_drive-64x64.py, "
                "_base_/schedules/schedule_40k.py, _base_/datasets/drive.py, "
                "_base_/models/fcn_unet_s5-d16.py"
            ),
            quote=(
                "_base_ = ['../_base_/models/fcn_unet_s5-d16.py', '../_base_/datasets/drive.py', "
                "'../_base_/default_runtime.py', '../_base_/schedules/schedule_40k.py'] "
                "crop_size = (64, 64) [schedule_40k.py] optimizer = dict(type='SGD', lr=0.01, "
                "momentum=0.9, weight_decay=0.0005) ... dict(type='PolyLR', eta_min=1e-4, "
                "power=0.9, begin=0, end=40000, by_epoch=False) [drive.py] batch_size=4, "
                "[fcn_unet_s5-d16.py] pretrained=None,"
            ),
        ),
    ),
    # --- milesial/Pytorch-UNet -------------------------------------------------------------
    Recipe(
        id="unet-carvana-milesial",
        area=Area.DETECTION_SEGMENTATION,
        source_key="github:milesial/Pytorch-UNet",
        task=T(
            description=(
                "Train a U-Net from scratch for binary car masking on the Carvana dataset (5k "
                "high-resolution images, downscaled by half), batch 1, 5 epochs."
            ),
            domain=Domain.VISION,
            architecture=Architecture.UNET,
            regime=Regime.FROM_SCRATCH,
            dataset_size=5_000,
            batch_size=1,
            epochs=5,
        ),
        optimizer=O.RMSPROP,
        lr=1e-5,
        weight_decay=1e-8,
        momentum=0.999,
        schedule=None,  # ReduceLROnPlateau on the validation Dice score, patience 5
        batch_size=1,
        citation=Citation(
            title="milesial/Pytorch-UNet",
            url=f"{_UNET}/train.py",
            where="train.py (train_model defaults, optimizer, scheduler); README.md",
            quote=(
                "def train_model(model, device, epochs: int = 5, batch_size: int = 1, "
                "learning_rate: float = 1e-5, ... weight_decay: float = 1e-8, momentum: float = "
                "0.999, ... optimizer = optim.RMSprop(model.parameters(), lr=learning_rate, "
                "weight_decay=weight_decay, momentum=momentum, foreach=True) scheduler = "
                "optim.lr_scheduler.ReduceLROnPlateau(optimizer, 'max', patience=5)  # goal: "
                "maximize Dice score [README] This model was trained from scratch with 5k images"
            ),
        ),
    ),
)
