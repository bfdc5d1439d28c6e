"""GANs and diffusion models: DCGAN, WGAN-GP, StyleGAN2-ADA, BigGAN, DDPM, improved DDPM, and
Stable Diffusion fine-tuning / DreamBooth / unconditional DDPM from the diffusers examples.

Every number was read in the cited script or README at the commit in its URL; the quote holds
the lines. GAN records give the generator's settings (the discriminator's, where different, are
named in ``published_optimizer``). GANs use domain ``gan``; diffusion models use domain
``vision`` with architecture ``diffusion``, as the advisor's text reader maps them. Steps
computed from the source's own figures (StyleGAN2-ADA counts training in thousands of real
images, ``kimg``) say how in a comment.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName as O
from advisor.task import Architecture, Domain, Regime
from advisor.task import TaskDescription as T

_EXAMPLES = "https://github.com/pytorch/examples/blob/77f55b912142e11fcfdf5b530231fb9c52f181e8"
_WGAN = (
    "https://github.com/igul222/improved_wgan_training/blob/"
    "fa66c574a54c4916d27c55441d33753dcc78f6bc"
)
_SG2ADA = (
    "https://github.com/NVlabs/stylegan2-ada-pytorch/blob/d72cc7d041b42ec8e806021a205ed9349f87c6a4"
)
_BIGGAN = "https://github.com/ajbrock/BigGAN-PyTorch/blob/98459431a5d618d644d54cd1e9fceb1e5045648d"
_DDPM = "https://github.com/hojonathanho/diffusion/blob/1e0dceb3b3495bbe19116a5e1b3596cd0706c543"
_IDDPM = (
    "https://github.com/openai/improved-diffusion/blob/1bc7bbbdc414d83d4abf2ad8cc1446dc36c4e4d5"
)
_DIFFUSERS = (
    "https://github.com/huggingface/diffusers/blob/58eb52c0803ea9af3abec60841c2a093bdf1f951"
    "/examples"
)

_SG2ADA_OPT = (
    "[train.py] args.G_opt_kwargs = dnnlib.EasyDict(class_name='torch.optim.Adam', "
    "lr=spec.lrate, betas=[0,0.99], eps=1e-8) args.D_opt_kwargs = "
    "dnnlib.EasyDict(class_name='torch.optim.Adam', lr=spec.lrate, betas=[0,0.99], eps=1e-8) ... "
    "args.total_kimg = spec.kimg args.batch_size = spec.mb"
)

RECIPES: tuple[Recipe, ...] = (
    # --- DCGAN (pytorch/examples) ----------------------------------------------------------
    Recipe(
        id="dcgan-lsun-pytorch-examples",
        area=Area.GAN_DIFFUSION,
        source_key="github:pytorch/examples",
        task=T(
            description=(
                "Train a DCGAN (convolutional generator and discriminator) from scratch on LSUN "
                "bedroom images at 64x64, batch 64, 25 epochs."
            ),
            domain=Domain.GAN,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            epochs=25,
        ),
        optimizer=O.ADAM,
        published_optimizer="torch.optim.Adam for both G and D",
        lr=2e-4,
        beta1=0.5,
        beta2=0.999,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="PyTorch examples: dcgan",
            url=f"{_EXAMPLES}/dcgan/main.py",
            where="dcgan/main.py (argparse defaults and optimizers); dcgan/README.md",
            quote=(
                "parser.add_argument('--dataset', required=True, help='cifar10 | lsun | mnist "
                "|imagenet | folder | lfw | fake') ... parser.add_argument('--batchSize', "
                "type=int, default=64, ...) parser.add_argument('--imageSize', type=int, "
                "default=64, ...) ... parser.add_argument('--niter', type=int, default=25, "
                "help='number of epochs to train for') parser.add_argument('--lr', type=float, "
                "default=0.0002, ...) parser.add_argument('--beta1', type=float, default=0.5, "
                "...) ... optimizerD = optim.Adam(netD.parameters(), lr=opt.lr, "
                "betas=(opt.beta1, 0.999)) optimizerG = optim.Adam(netG.parameters(), "
                "lr=opt.lr, betas=(opt.beta1, 0.999)) [README] You can download the LSUN dataset "
                "... python download.py -c bedroom"
            ),
        ),
    ),
    # --- WGAN-GP (official code) -----------------------------------------------------------
    Recipe(
        id="wgan-gp-cifar10-dcgan-official",
        area=Area.GAN_DIFFUSION,
        source_key="github:igul222/improved_wgan_training",
        task=T(
            description=(
                "Train a WGAN with gradient penalty (lambda 10, 5 critic steps per generator "
                "step) and DCGAN-style networks from scratch on CIFAR-10, batch 64, 200k "
                "generator iterations."
            ),
            domain=Domain.GAN,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            steps=200_000,
        ),
        optimizer=O.ADAM,
        published_optimizer="tf.train.AdamOptimizer for generator and critic",
        lr=1e-4,
        beta1=0.5,
        beta2=0.9,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="Improved Training of Wasserstein GANs, official code",
            url=f"{_WGAN}/gan_cifar.py",
            where="gan_cifar.py (constants and wgan-gp train ops)",
            quote=(
                "MODE = 'wgan-gp' # Valid options are dcgan, wgan, or wgan-gp DIM = 128 ... "
                "LAMBDA = 10 # Gradient penalty lambda hyperparameter CRITIC_ITERS = 5 # How "
                "many critic iterations per generator iteration BATCH_SIZE = 64 # Batch size "
                "ITERS = 200000 # How many generator iterations to train for ... gen_train_op = "
                "tf.train.AdamOptimizer(learning_rate=1e-4, beta1=0.5, beta2=0.9).minimize("
                "gen_cost, var_list=gen_params) disc_train_op = tf.train.AdamOptimizer("
                "learning_rate=1e-4, beta1=0.5, beta2=0.9).minimize(disc_cost, ..."
            ),
        ),
    ),
    Recipe(
        id="wgan-gp-cifar10-resnet-acgan-official",
        area=Area.GAN_DIFFUSION,
        source_key="github:igul222/improved_wgan_training",
        task=T(
            description=(
                "Train a class-conditional (AC-GAN) WGAN-GP with ResNet generator and critic from "
                "scratch on CIFAR-10 on 2 GPUs, critic batch 64, 5 critic steps per generator "
                "step, 100k iterations."
            ),
            domain=Domain.GAN,
            architecture=Architecture.RESNET,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            steps=100_000,
        ),
        optimizer=O.ADAM,
        published_optimizer="tf.train.AdamOptimizer for generator and critic",
        lr=2e-4,
        beta1=0.0,
        beta2=0.9,
        # lr x max(0, 1 - iteration / ITERS): linear decay to 0 with no warm-up.
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        batch_size=64,
        citation=Citation(
            title="Improved Training of Wasserstein GANs, official code",
            url=f"{_WGAN}/gan_cifar_resnet.py",
            where="gan_cifar_resnet.py (constants, lr decay, optimizers)",
            quote=(
                "N_GPUS = 2 ... BATCH_SIZE = 64 # Critic batch size GEN_BS_MULTIPLE = 2 # "
                "Generator batch size, as a multiple of BATCH_SIZE ITERS = 100000 # How many "
                "iterations to train for ... LR = 2e-4 # Initial learning rate DECAY = True # "
                "Whether to decay LR over learning N_CRITIC = 5 ... CONDITIONAL = True ... "
                "ACGAN = True ... decay = tf.maximum(0., 1.-(tf.cast(_iteration, "
                "tf.float32)/ITERS)) ... gen_opt = tf.train.AdamOptimizer(learning_rate=LR*decay, "
                "beta1=0., beta2=0.9) disc_opt = tf.train.AdamOptimizer(learning_rate=LR*decay, "
                "beta1=0., beta2=0.9)"
            ),
        ),
    ),
    # --- StyleGAN2-ADA ---------------------------------------------------------------------
    Recipe(
        id="stylegan2-ada-ffhq256-paper256",
        area=Area.GAN_DIFFUSION,
        source_key="github:NVlabs/stylegan2-ada-pytorch",
        task=T(
            description=(
                "Train StyleGAN2 with adaptive discriminator augmentation from scratch on FFHQ "
                "faces at 256x256 on 8 GPUs, batch 64, for 25000 kimg (about 390k steps)."
            ),
            domain=Domain.GAN,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            steps=390_625,  # 25000 kimg / 64 images per step
        ),
        optimizer=O.ADAM,
        published_optimizer="torch.optim.Adam for G and D, betas=[0, 0.99]",
        lr=0.0025,
        beta1=0.0,
        beta2=0.99,
        eps=1e-8,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="StyleGAN2-ADA, official PyTorch implementation",
            url=f"{_SG2ADA}/train.py",
            where="train.py cfg_specs['paper256'] and optimizer kwargs; README.md config table",
            quote=(
                "'paper256':  dict(ref_gpus=8,  kimg=25000,  mb=64, mbstd=8,  fmaps=0.5, "
                "lrate=0.0025, gamma=1,    ema=20,  ramp=None, map=8), ... "
                + _SG2ADA_OPT
                + " [README] | `paper256` | Reproduce results for FFHQ and LSUN Cat at 256x256 "
                "using 1, 2, 4, or 8 GPUs."
            ),
        ),
    ),
    Recipe(
        id="stylegan2-ada-cifar10",
        area=Area.GAN_DIFFUSION,
        source_key="github:NVlabs/stylegan2-ada-pytorch",
        task=T(
            description=(
                "Train a StyleGAN2 with adaptive discriminator augmentation from scratch on "
                "CIFAR-10 (32x32) on 2 GPUs, batch 64, for 100000 kimg (about 1.56M steps)."
            ),
            domain=Domain.GAN,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            steps=1_562_500,  # 100000 kimg / 64 images per step
        ),
        optimizer=O.ADAM,
        published_optimizer="torch.optim.Adam for G and D, betas=[0, 0.99]",
        lr=0.0025,
        beta1=0.0,
        beta2=0.99,
        eps=1e-8,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="StyleGAN2-ADA, official PyTorch implementation",
            url=f"{_SG2ADA}/train.py",
            where="train.py cfg_specs['cifar'] and optimizer kwargs; README.md config table",
            quote=(
                "'cifar':     dict(ref_gpus=2,  kimg=100000, mb=64, mbstd=32, fmaps=1,   "
                "lrate=0.0025, gamma=0.01, ema=500, ramp=0.05, map=2), ... "
                + _SG2ADA_OPT
                + " [README] | `cifar` | Reproduce results for CIFAR-10 (tuned configuration) "
                "using 1 or 2 GPUs."
            ),
        ),
    ),
    # --- BigGAN ----------------------------------------------------------------------------
    Recipe(
        id="biggan-imagenet128-bs2048",
        area=Area.GAN_DIFFUSION,
        source_key="github:ajbrock/BigGAN-PyTorch",
        task=T(
            description=(
                "Train a class-conditional BigGAN from scratch on ImageNet at 128x128 on 8 V100s, "
                "batch 256 with 8 gradient accumulations (effective batch 2048), about 150k "
                "iterations, with EMA of the generator."
            ),
            domain=Domain.GAN,
            architecture=Architecture.CNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=2048,
            steps=150_000,
        ),
        optimizer=O.ADAM,
        published_optimizer="Adam; G lr 1e-4, D lr 4e-4, betas (0, 0.999), eps 1e-6",
        lr=1e-4,
        weight_decay=0.0,
        beta1=0.0,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.CONSTANT,
        batch_size=2048,
        citation=Citation(
            title="BigGAN-PyTorch (Andrew Brock)",
            url=f"{_BIGGAN}/scripts/launch_BigGAN_bs256x8.sh",
            where="scripts/launch_BigGAN_bs256x8.sh; utils.py defaults; BigGAN.py; README.md",
            quote=(
                "--dataset I128_hdf5 --parallel --shuffle --num_workers 8 --batch_size 256 "
                "--load_in_mem --num_G_accumulations 8 --num_D_accumulations 8 --num_D_steps 1 "
                "--G_lr 1e-4 --D_lr 4e-4 --D_B2 0.999 --G_B2 0.999 ... --adam_eps 1e-6 "
                "[utils.py] '--G_B1', type=float, default=0.0 [BigGAN.py] self.optim = "
                "optim.Adam(params=self.parameters(), lr=self.lr, betas=(self.B1, self.B2), "
                "weight_decay=0, eps=self.adam_eps) [README] trains a full-sized BigGAN model "
                "with a batch size of 256 and 8 gradient accumulations, for a total batch size "
                "of 2048. On 8xV100 ... this script takes 15 days to train to 150k iterations."
            ),
        ),
    ),
    # --- DDPM (official code) --------------------------------------------------------------
    Recipe(
        id="ddpm-cifar10-official",
        area=Area.GAN_DIFFUSION,
        source_key="github:hojonathanho/diffusion",
        task=T(
            description=(
                "Train an unconditional DDPM (U-Net noise predictor, 1000 noise levels, "
                "dropout 0.1) from scratch on CIFAR-10, batch 128, gradient clipping at 1, EMA "
                "0.9999."
            ),
            domain=Domain.VISION,
            architecture=Architecture.DIFFUSION,
            regime=Regime.FROM_SCRATCH,
            batch_size=128,
        ),
        optimizer=O.ADAM,
        published_optimizer="tf.train.AdamOptimizer(epsilon=1e-8)",
        lr=2e-4,
        eps=1e-8,
        # Linear warm-up to 2e-4 over 5000 steps, then constant.
        schedule=ScheduleName.CONSTANT,
        warmup="5000 steps, linear from 0",
        batch_size=128,
        citation=Citation(
            title="Denoising Diffusion Probabilistic Models, official code",
            url=f"{_DDPM}/scripts/run_cifar.py",
            where="scripts/run_cifar.py train(); diffusion_tf/utils.py; tpu_utils.py",
            quote=(
                "def train(exp_name, tpu_name, bucket_name_prefix, model_name='unet2d16b2', "
                "dataset='cifar10', optimizer='adam', total_bs=128, grad_clip=1., lr=2e-4, "
                "warmup=5000, num_diffusion_timesteps=1000, ... dropout=0.1, randflip=1, ... "
                "[utils.py] return max_lr * tf.minimum(tf.cast(global_step, tf.float32) / "
                "float(warmup), 1.0) ... if optimizer == 'adam': optimizer = "
                "tf.train.AdamOptimizer(learning_rate=lr, epsilon=epsilon) [tpu_utils.py] "
                "ema_decay=0.9999"
            ),
        ),
    ),
    # --- improved DDPM (openai/improved-diffusion) -----------------------------------------
    Recipe(
        id="iddpm-imagenet64-classcond-openai",
        area=Area.GAN_DIFFUSION,
        source_key="github:openai/improved-diffusion",
        task=T(
            description=(
                "Train a class-conditional diffusion model (270M-parameter U-Net, learned "
                "variances, cosine noise schedule, 4000 noise levels) from scratch on "
                "ImageNet 64x64, batch 2048, 250k iterations."
            ),
            domain=Domain.VISION,
            architecture=Architecture.DIFFUSION,
            regime=Regime.FROM_SCRATCH,
            model_params=270_000_000,
            batch_size=2048,
            steps=250_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="torch.optim.AdamW with weight_decay=0.0 (the script default)",
        lr=3e-4,
        weight_decay=0.0,
        # lr_anneal_steps=0 (default): the lr is never annealed.
        schedule=ScheduleName.CONSTANT,
        batch_size=2048,
        citation=Citation(
            title="openai/improved-diffusion (Improved Denoising Diffusion Probabilistic Models)",
            url=f"{_IDDPM}/README.md",
            where="README.md Models and Hyperparameters; scripts/image_train.py; train_util.py",
            quote=(
                "Class-conditional ImageNet-64 model (270M parameters, trained for 250K "
                'iterations) ... MODEL_FLAGS="--image_size 64 --num_channels 192 '
                '--num_res_blocks 3 --learn_sigma True --class_cond True" DIFFUSION_FLAGS='
                '"--diffusion_steps 4000 --noise_schedule cosine ..." TRAIN_FLAGS="--lr 3e-4 '
                '--batch_size 2048" [image_train.py] weight_decay=0.0, lr_anneal_steps=0, '
                "[train_util.py] self.opt = AdamW(self.master_params, lr=self.lr, "
                "weight_decay=self.weight_decay) ... def _anneal_lr(self): if not "
                "self.lr_anneal_steps: return"
            ),
        ),
    ),
    # --- diffusers training examples -------------------------------------------------------
    Recipe(
        id="stable-diffusion-v1-4-finetune-naruto-diffusers",
        area=Area.GAN_DIFFUSION,
        source_key="github:huggingface/diffusers",
        task=T(
            description=(
                "Fine-tune the Stable Diffusion v1-4 U-Net on a small captioned image dataset "
                "(Naruto BLIP captions) at 512px, batch 1 with 4 gradient accumulation steps, "
                "15000 steps, fp16, EMA, gradient clipping at 1."
            ),
            domain=Domain.VISION,
            architecture=Architecture.DIFFUSION,
            regime=Regime.FINE_TUNING,
            batch_size=4,
            steps=15_000,
        ),
        optimizer=O.ADAMW,
        lr=1e-5,
        weight_decay=1e-2,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.CONSTANT,
        batch_size=4,
        citation=Citation(
            title="diffusers examples: text_to_image",
            url=f"{_DIFFUSERS}/text_to_image/README.md",
            where="examples/text_to_image/README.md; train_text_to_image.py defaults",
            quote=(
                'export MODEL_NAME="CompVis/stable-diffusion-v1-4" export DATASET_NAME='
                '"lambdalabs/naruto-blip-captions" accelerate launch --mixed_precision="fp16" '
                "train_text_to_image.py ... --use_ema --resolution=512 --center_crop "
                "--random_flip --train_batch_size=1 --gradient_accumulation_steps=4 "
                "--gradient_checkpointing --max_train_steps=15000 --learning_rate=1e-05 "
                '--max_grad_norm=1 --lr_scheduler="constant" --lr_warmup_steps=0 '
                '[train_text_to_image.py] "--adam_beta1", type=float, default=0.9 ... '
                '"--adam_beta2", type=float, default=0.999 ... "--adam_weight_decay", '
                'type=float, default=1e-2 ... "--adam_epsilon", type=float, default=1e-08 ... '
                "optimizer_cls = torch.optim.AdamW"
            ),
        ),
    ),
    Recipe(
        id="dreambooth-sd-v1-4-diffusers",
        area=Area.GAN_DIFFUSION,
        source_key="github:huggingface/diffusers",
        task=T(
            description=(
                "DreamBooth: fine-tune Stable Diffusion v1-4 on a handful of photos of one dog "
                "with the prompt 'a photo of sks dog', 512px, batch 1, 400 steps."
            ),
            domain=Domain.VISION,
            architecture=Architecture.DIFFUSION,
            regime=Regime.FINE_TUNING,
            batch_size=1,
            steps=400,
        ),
        optimizer=O.ADAMW,
        lr=5e-6,
        weight_decay=1e-2,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.CONSTANT,
        batch_size=1,
        citation=Citation(
            title="diffusers examples: dreambooth",
            url=f"{_DIFFUSERS}/dreambooth/README.md",
            where="examples/dreambooth/README.md; train_dreambooth.py defaults",
            quote=(
                'export MODEL_NAME="CompVis/stable-diffusion-v1-4" export INSTANCE_DIR="dog" '
                '... accelerate launch train_dreambooth.py ... --instance_prompt="a photo of '
                'sks dog" --resolution=512 --train_batch_size=1 --gradient_accumulation_steps=1 '
                '--learning_rate=5e-6 --lr_scheduler="constant" --lr_warmup_steps=0 '
                '--max_train_steps=400 [train_dreambooth.py] "--adam_beta1", type=float, '
                'default=0.9 ... "--adam_beta2", type=float, default=0.999 ... '
                '"--adam_weight_decay", type=float, default=1e-2 ... "--adam_epsilon", '
                "type=float, default=1e-08 ... optimizer_class = torch.optim.AdamW"
            ),
        ),
    ),
    Recipe(
        id="ddpm-unconditional-flowers64-diffusers",
        area=Area.GAN_DIFFUSION,
        source_key="github:huggingface/diffusers",
        task=T(
            description=(
                "Train an unconditional DDPM U-Net from scratch on the Oxford Flowers dataset "
                "at 64x64, batch 16, 100 epochs, with EMA."
            ),
            domain=Domain.VISION,
            architecture=Architecture.DIFFUSION,
            regime=Regime.FROM_SCRATCH,
            batch_size=16,
            epochs=100,
        ),
        optimizer=O.ADAMW,
        lr=1e-4,
        weight_decay=1e-6,
        beta1=0.95,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup="500 steps",
        batch_size=16,
        citation=Citation(
            title="diffusers examples: unconditional_image_generation",
            url=f"{_DIFFUSERS}/unconditional_image_generation/README.md",
            where="examples/unconditional_image_generation/README.md; train_unconditional.py",
            quote=(
                'accelerate launch train_unconditional.py --dataset_name="huggan/flowers-102-'
                'categories" --resolution=64 --center_crop --random_flip --output_dir="ddpm-ema-'
                'flowers-64" --train_batch_size=16 --num_epochs=100 '
                "--gradient_accumulation_steps=1 --use_ema --learning_rate=1e-4 "
                '--lr_warmup_steps=500 --mixed_precision=no [train_unconditional.py] "--lr_'
                'scheduler", type=str, default="cosine" ... "--adam_beta1", type=float, '
                'default=0.95 ... "--adam_beta2", type=float, default=0.999 ... '
                '"--adam_weight_decay", type=float, default=1e-6 ... "--adam_epsilon", '
                "type=float, default=1e-08 ... optimizer = torch.optim.AdamW("
            ),
        ),
    ),
)
