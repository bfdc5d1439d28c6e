"""LoRA, QLoRA and full fine-tuning of 7B-70B language models: published recipes.

Every number was read in the cited script, config or README; global batch sizes are computed
from per-device batch, accumulation and device count, and the quote says how. All of these run
Hugging Face's Trainer with an AdamW variant (``adamw_torch`` set in the scripts' own
TrainingArguments, or bitsandbytes' paged AdamW for QLoRA), hence ``adamw``. Settings a script
leaves to library defaults stay None rather than being filled from memory.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName as O
from advisor.task import Architecture, Domain, Regime, TaskDescription

_AREA = Area.LLM_FINE_TUNING
_ALPACA = "github:tatsu-lab/stanford_alpaca"
_QLORA = "github:artidoro/qlora"
_FASTCHAT = "github:lm-sys/FastChat"
_HANDBOOK = "github:huggingface/alignment-handbook"
_PEFT = "github:huggingface/peft"
_PAGED = "paged_adamw_32bit (bitsandbytes paged AdamW)"


def _llm(
    description: str,
    *,
    params: int,
    batch: int | None = None,
    epochs: int | None = None,
    steps: int | None = None,
    dataset_size: int | None = None,
) -> TaskDescription:
    """A decoder-only LM fine-tuning task; only the numbers differ between records."""
    return TaskDescription(
        description=description,
        domain=Domain.NLP,
        architecture=Architecture.TRANSFORMER,
        regime=Regime.FINE_TUNING,
        model_params=params,
        batch_size=batch,
        epochs=epochs,
        steps=steps,
        dataset_size=dataset_size,
    )


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        id="alpaca-llama-7b-full-sft",
        area=_AREA,
        source_key=_ALPACA,
        task=_llm(
            "Fully fine-tune LLaMA-7B on 52K instruction-following examples (Alpaca data), "
            "max length 512, global batch 128, 3 epochs on 4 A100 80GB GPUs with FSDP",
            params=7_000_000_000,
            batch=128,
            epochs=3,
            dataset_size=52_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="adamw_torch (Hugging Face Trainer)",
        lr=2e-5,
        weight_decay=0.0,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.03,
        warmup="3% of steps",
        batch_size=128,
        citation=Citation(
            title="Stanford Alpaca: An Instruction-following LLaMA model",
            url="https://github.com/tatsu-lab/stanford_alpaca/blob/761dc5bfbdeeffa89b8bff5d038781a4055f796a/README.md",
            where="README.md, Fine-tuning (table and LLaMA-7B command); train.py",
            quote=(
                "| Batch size | 128 | 128 | | Learning rate | 2e-5 | 1e-5 | | Epochs | 3 | 5 | | "
                "Max length | 512 | 512 | | Weight decay | 0 | 0 | ... fine-tunes LLaMA-7B ... "
                "on a machine with 4 A100 80G GPUs in FSDP `full_shard` mode ... "
                "--num_train_epochs 3 --per_device_train_batch_size 4 ... "
                "--gradient_accumulation_steps 8 ... --learning_rate 2e-5 --weight_decay 0. "
                '--warmup_ratio 0.03 --lr_scheduler_type "cosine". train.py: optim: str = '
                'field(default="adamw_torch")'
            ),
        ),
    ),
    Recipe(
        id="alpaca-llama-13b-full-sft",
        area=_AREA,
        source_key=_ALPACA,
        task=_llm(
            "Fully fine-tune LLaMA-13B on 52K instruction-following examples (Alpaca data), "
            "max length 512, global batch 128, 5 epochs",
            params=13_000_000_000,
            batch=128,
            epochs=5,
            dataset_size=52_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="adamw_torch (Hugging Face Trainer)",
        lr=1e-5,
        weight_decay=0.0,
        batch_size=128,
        citation=Citation(
            title="Stanford Alpaca: An Instruction-following LLaMA model",
            url="https://github.com/tatsu-lab/stanford_alpaca/blob/761dc5bfbdeeffa89b8bff5d038781a4055f796a/README.md",
            where="README.md, Fine-tuning (hyperparameter table, LLaMA-13B column)",
            quote=(
                "We fine-tune LLaMA-7B and LLaMA-13B with the following hyperparameters: | "
                "Hyperparameter | LLaMA-7B | LLaMA-13B | ... | Batch size | 128 | 128 | | Learning "
                "rate | 2e-5 | 1e-5 | | Epochs | 3 | 5 | | Max length | 512 | 512 | | Weight "
                "decay | 0 | 0 |"
            ),
        ),
    ),
    Recipe(
        id="qlora-guanaco-7b-oasst1",
        area=_AREA,
        source_key=_QLORA,
        task=_llm(
            "Fine-tune LLaMA-7B with 4-bit NF4 QLoRA adapters (rank 64, alpha 16, dropout 0.1, "
            "all linear layers) on the OpenAssistant oasst1 chat data, batch 16, 1875 steps on "
            "one GPU",
            params=7_000_000_000,
            batch=16,
            steps=1875,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_PAGED,
        lr=2e-4,
        weight_decay=0.0,
        beta2=0.999,
        schedule=ScheduleName.CONSTANT,
        batch_size=16,
        citation=Citation(
            title="QLoRA: Efficient Finetuning of Quantized LLMs (artidoro/qlora)",
            url="https://github.com/artidoro/qlora/blob/7f4e95a68dc076bea9b3a413d2b512eca6d004e5/scripts/finetune_guanaco_7b.sh",
            where="scripts/finetune_guanaco_7b.sh; qlora.py TrainingArguments",
            quote=(
                "--model_name_or_path huggyllama/llama-7b ... --lora_r 64 --lora_alpha 16 "
                "--lora_modules all --double_quant --quant_type nf4 --bf16 --bits 4 "
                "--warmup_ratio 0.03 --lr_scheduler_type constant ... --dataset oasst1 ... "
                "--per_device_train_batch_size 1 --gradient_accumulation_steps 16 "
                "--max_steps 1875 ... --learning_rate 0.0002 --adam_beta2 0.999 "
                "--max_grad_norm 0.3 --lora_dropout 0.1 --weight_decay 0.0. qlora.py: optim: "
                "str = field(default='paged_adamw_32bit')"
            ),
        ),
    ),
    Recipe(
        id="qlora-guanaco-65b-oasst1",
        area=_AREA,
        source_key=_QLORA,
        task=_llm(
            "Fine-tune LLaMA-65B with 4-bit NF4 QLoRA adapters (rank 64, alpha 16, dropout "
            "0.05) on the OpenAssistant oasst1 chat data on a single 48GB GPU, batch 16, "
            "1875 steps",
            params=65_000_000_000,
            batch=16,
            steps=1875,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_PAGED,
        lr=1e-4,
        weight_decay=0.0,
        beta2=0.999,
        schedule=ScheduleName.CONSTANT,
        batch_size=16,
        citation=Citation(
            title="QLoRA: Efficient Finetuning of Quantized LLMs (artidoro/qlora)",
            url="https://github.com/artidoro/qlora/blob/7f4e95a68dc076bea9b3a413d2b512eca6d004e5/scripts/finetune_guanaco_65b.sh",
            where="scripts/finetune_guanaco_65b.sh; README.md",
            quote=(
                "--model_name_or_path huggyllama/llama-65b ... --lora_r 64 --lora_alpha 16 ... "
                "--bits 4 --warmup_ratio 0.03 --lr_scheduler_type constant ... --dataset oasst1 "
                "... --per_device_train_batch_size 1 --gradient_accumulation_steps 16 "
                "--max_steps 1875 ... --learning_rate 0.0001 --adam_beta2 0.999 "
                "--max_grad_norm 0.3 --lora_dropout 0.05 --weight_decay 0.0. README: finetune "
                "a 65B parameter model on a single 48GB GPU"
            ),
        ),
    ),
    Recipe(
        id="fastchat-vicuna-7b-full-sft",
        area=_AREA,
        source_key=_FASTCHAT,
        task=_llm(
            "Fully fine-tune LLaMA-7B on ShareGPT multi-turn conversations (Vicuna), context "
            "2048, global batch 128, 3 epochs on 4 GPUs with FSDP",
            params=7_000_000_000,
            batch=128,
            epochs=3,
        ),
        optimizer=O.ADAMW,
        published_optimizer="adamw_torch (Hugging Face Trainer)",
        lr=2e-5,
        weight_decay=0.0,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.04,
        warmup="4% of steps",
        batch_size=128,
        citation=Citation(
            title="FastChat (lm-sys/FastChat): Vicuna training",
            url="https://github.com/lm-sys/FastChat/blob/0e6d3e4beaab66f4d3f93db72541a4abab8af28d/scripts/train_vicuna_7b.sh",
            where="scripts/train_vicuna_7b.sh; fastchat/train/train.py",
            quote=(
                "torchrun --nproc_per_node=4 ... --model_name_or_path ~/model_weights/llama-7b "
                "--data_path ~/datasets/sharegpt_20230422_clean_lang_split_identity.json ... "
                "--num_train_epochs 3 --per_device_train_batch_size 2 ... "
                "--gradient_accumulation_steps 16 ... --learning_rate 2e-5 --weight_decay 0. "
                '--warmup_ratio 0.04 --lr_scheduler_type "cosine" ... --model_max_length 2048 '
                '(4 x 2 x 16 = 128, computed). train.py: optim: str = field(default="adamw_torch")'
            ),
        ),
    ),
    Recipe(
        id="fastchat-vicuna-7b-qlora",
        area=_AREA,
        source_key=_FASTCHAT,
        task=_llm(
            "Fine-tune LLaMA-7B with QLoRA adapters (rank 8, alpha 16, dropout 0.05) on "
            "conversation data with DeepSpeed ZeRO-2, context 2048, batch 1 per device, "
            "3 epochs",
            params=7_000_000_000,
            epochs=3,
        ),
        optimizer=O.ADAMW,
        published_optimizer="adamw_torch (Hugging Face Trainer)",
        lr=2e-5,
        weight_decay=0.0,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.03,
        warmup="3% of steps",
        citation=Citation(
            title="FastChat (lm-sys/FastChat): Fine-tuning using (Q)LoRA",
            url="https://github.com/lm-sys/FastChat/blob/0e6d3e4beaab66f4d3f93db72541a4abab8af28d/docs/training.md",
            where="docs/training.md, Fine-tuning using (Q)LoRA; fastchat/train/train_lora.py",
            quote=(
                "train Vicuna-7B using QLoRA using ZeRO2 ... deepspeed "
                "fastchat/train/train_lora.py --model_name_or_path ~/model_weights/llama-7b "
                "--lora_r 8 --lora_alpha 16 --lora_dropout 0.05 ... --num_train_epochs 3 "
                "--per_device_train_batch_size 1 ... --gradient_accumulation_steps 1 ... "
                "--learning_rate 2e-5 --weight_decay 0. --warmup_ratio 0.03 "
                '--lr_scheduler_type "cosine" ... --model_max_length 2048 --q_lora True. '
                'train_lora.py: optim: str = field(default="adamw_torch")'
            ),
        ),
    ),
    Recipe(
        id="zephyr-7b-beta-sft-full",
        area=_AREA,
        source_key=_HANDBOOK,
        task=_llm(
            "Fully fine-tune Mistral-7B on the UltraChat 200k dialogue data (supervised "
            "fine-tuning), sequence length 2048, 16 per GPU on 8 80GB GPUs with ZeRO-3, 1 epoch",
            params=7_000_000_000,
            batch=128,
            epochs=1,
        ),
        optimizer=O.ADAMW,
        published_optimizer="Hugging Face Trainer default optimizer (AdamW)",
        lr=2e-5,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=128,
        citation=Citation(
            title="The Alignment Handbook: Zephyr-7b-beta recipe",
            url=(
                "https://github.com/huggingface/alignment-handbook/blob/925acdfe4b2b4e38c3dabd1851bc418f0b656351/recipes/"
                "zephyr-7b-beta/sft/config_full.yaml"
            ),
            where="recipes/zephyr-7b-beta/sft/config_full.yaml; recipes/zephyr-7b-beta/README.md",
            quote=(
                "model_name_or_path: mistralai/Mistral-7B-v0.1 ... id: "
                "HuggingFaceH4/ultrachat_200k ... gradient_accumulation_steps: 1 ... "
                "learning_rate: 2.0e-05 ... "
                "lr_scheduler_type: cosine max_seq_length: 2048 ... num_train_epochs: 1 ... "
                "per_device_train_batch_size: 16 ... warmup_ratio: 0.1. README: You will require "
                "8 GPUs (80GB of VRAM) to train the full model (16 x 8 = 128, computed)"
            ),
        ),
    ),
    Recipe(
        id="zephyr-7b-beta-dpo-full",
        area=_AREA,
        source_key=_HANDBOOK,
        task=_llm(
            "Align a supervised-fine-tuned Mistral-7B chat model with DPO on UltraFeedback "
            "binarized preference pairs, KL penalty beta 0.01, max length 1024, 8 GPUs, 1 epoch",
            params=7_000_000_000,
            batch=128,
            epochs=1,
        ),
        optimizer=O.ADAMW,
        published_optimizer="adamw_torch (Hugging Face Trainer)",
        lr=5e-7,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=128,
        citation=Citation(
            title="The Alignment Handbook: Zephyr-7b-beta recipe",
            url=(
                "https://github.com/huggingface/alignment-handbook/blob/925acdfe4b2b4e38c3dabd1851bc418f0b656351/recipes/"
                "zephyr-7b-beta/dpo/config_full.yaml"
            ),
            where="recipes/zephyr-7b-beta/dpo/config_full.yaml; recipes/zephyr-7b-beta/README.md",
            quote=(
                "model_name_or_path: alignment-handbook/zephyr-7b-sft-full ... id: "
                "HuggingFaceH4/ultrafeedback_binarized ... beta: 0.01 ... "
                "gradient_accumulation_steps: 2 ... learning_rate: 5.0e-7 ... lr_scheduler_type: "
                "cosine max_length: 1024 ... num_train_epochs: 1 optim: adamw_torch ... "
                "per_device_train_batch_size: 8 ... warmup_ratio: 0.1. README: 8 GPUs (80GB of "
                "VRAM) (8 x 2 x 8 = 128, computed)"
            ),
        ),
    ),
    Recipe(
        id="zephyr-7b-beta-sft-qlora",
        area=_AREA,
        source_key=_HANDBOOK,
        task=_llm(
            "Fine-tune Mistral-7B with 4-bit QLoRA adapters (rank 16, alpha 16, dropout 0.05, "
            "all projection layers) on UltraChat 200k on a single GPU, batch 4 with 2-step "
            "accumulation, sequence length 2048, 1 epoch",
            params=7_000_000_000,
            batch=8,
            epochs=1,
        ),
        optimizer=O.ADAMW,
        published_optimizer="Hugging Face Trainer default optimizer (AdamW)",
        lr=2e-4,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=8,
        citation=Citation(
            title="The Alignment Handbook: Zephyr-7b-beta recipe",
            url=(
                "https://github.com/huggingface/alignment-handbook/blob/925acdfe4b2b4e38c3dabd1851bc418f0b656351/recipes/"
                "zephyr-7b-beta/sft/config_qlora.yaml"
            ),
            where="recipes/zephyr-7b-beta/sft/config_qlora.yaml; recipes/zephyr-7b-beta/README.md",
            quote=(
                "model_name_or_path: mistralai/Mistral-7B-v0.1 ... load_in_4bit: true use_peft: "
                "true lora_r: 16 lora_alpha: 16 lora_dropout: 0.05 ... "
                "gradient_accumulation_steps: 2 ... learning_rate: 2.0e-04 ... "
                "lr_scheduler_type: cosine max_seq_length: 2048 "
                "... num_train_epochs: 1 ... per_device_train_batch_size: 4 ... warmup_ratio: "
                "0.1. README: accelerate launch ... --num_processes=1 scripts/sft.py --config "
                "recipes/zephyr-7b-beta/sft/config_qlora.yaml"
            ),
        ),
    ),
    Recipe(
        id="peft-mistral-7b-qlora-ultrachat",
        area=_AREA,
        source_key=_PEFT,
        task=_llm(
            "Fine-tune Mistral-7B with 4-bit QLoRA adapters (rank 8, alpha 16, dropout 0.1, all "
            "linear layers) on a 10k-conversation UltraChat subset with packing, length 2048, "
            "batch 8 with 8-step accumulation on one GPU, 1 epoch",
            params=7_000_000_000,
            batch=64,
            epochs=1,
        ),
        optimizer=O.ADAMW,
        published_optimizer="Hugging Face Trainer default optimizer (AdamW)",
        lr=1e-4,
        weight_decay=1e-4,
        schedule=ScheduleName.COSINE,
        warmup_fraction=0.0,
        warmup="0 steps",
        batch_size=64,
        citation=Citation(
            title="PEFT (huggingface/peft): SFT examples",
            url="https://github.com/huggingface/peft/blob/5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40/examples/sft/run_peft.sh",
            where="examples/sft/run_peft.sh",
            quote=(
                '--model_name_or_path "mistralai/Mistral-7B-v0.1" --dataset_name '
                '"smangrul/ultrachat-10k-chatml" ... --max_length 2048 --num_train_epochs 1 ... '
                '--packing True --learning_rate 1e-4 --lr_scheduler_type "cosine" '
                "--weight_decay 1e-4 --warmup_steps 0 --max_grad_norm 1.0 ... "
                "--per_device_train_batch_size 8 ... --gradient_accumulation_steps 8 ... "
                "--lora_r 8 --lora_alpha 16 --lora_dropout 0.1 --lora_target_modules "
                '"all-linear" --use_4bit_quantization True'
            ),
        ),
    ),
    Recipe(
        id="peft-llama2-70b-qlora-fsdp",
        area=_AREA,
        source_key=_PEFT,
        task=_llm(
            "Fine-tune Llama-2-70B with 4-bit QLoRA adapters (rank 8, alpha 16, all linear "
            "layers) sharded with FSDP over 2 GPUs on a 10k-conversation UltraChat subset, "
            "length 2048 with packing, 1 epoch",
            params=70_000_000_000,
            batch=8,
            epochs=1,
        ),
        optimizer=O.ADAMW,
        published_optimizer="Hugging Face Trainer default optimizer (AdamW)",
        lr=1e-4,
        weight_decay=1e-4,
        schedule=ScheduleName.COSINE,
        warmup_fraction=0.0,
        warmup="0 steps",
        batch_size=8,
        citation=Citation(
            title="PEFT (huggingface/peft): SFT examples",
            url="https://github.com/huggingface/peft/blob/5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40/examples/sft/run_peft_qlora_fsdp.sh",
            where=(
                "examples/sft/run_peft_qlora_fsdp.sh; examples/sft/configs/fsdp_config_qlora.yaml"
            ),
            quote=(
                'accelerate launch --config_file "configs/fsdp_config_qlora.yaml" train.py ... '
                '--model_name_or_path "meta-llama/Llama-2-70b-hf" --dataset_name '
                '"smangrul/ultrachat-10k-chatml" ... --max_length 2048 --num_train_epochs 1 ... '
                '--learning_rate 1e-4 --lr_scheduler_type "cosine" --weight_decay 1e-4 '
                "--warmup_steps 0 ... --per_device_train_batch_size 2 ... "
                "--gradient_accumulation_steps 2 ... --lora_r 8 --lora_alpha 16 --lora_dropout "
                "0.1 ... --use_4bit_quantization True. fsdp_config_qlora.yaml: num_processes: 2 "
                "(2 x 2 x 2 = 8, computed)"
            ),
        ),
    ),
)
