"""Reinforcement learning and GANs: adaptive methods for unstable training, with the public
recipes' values (PPO, DQN, DCGAN, WGAN-GP)."""

from __future__ import annotations

from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import ParamName
from advisor.rules.base import Condition, Effect, ParamSetting, Rule, ScheduleSetting, Topic
from advisor.rules.kinds import ADAM_FAMILY, SGD_FAMILY, WITH_BETAS, O, of
from advisor.rules.sources import (
    DCGAN,
    DQN,
    GUIDE_002,
    OPENING_004,
    PPO,
    PPO_DETAILS,
    WGAN_GP,
    seed,
)
from advisor.task import Domain

P = ParamName
RL = Condition(domains=frozenset({Domain.RL}))
GAN = Condition(domains=frozenset({Domain.GAN}))

ADAPTIVE_FOR_UNSTABLE = Rule(
    id="rl_gan.adaptive_for_unstable",
    topic=Topic.RL_GAN,
    summary=(
        "RL, GANs and other tasks with unstable early training: Adam or RMSProp, whose adaptive "
        "steps steady a noisy, moving objective."
    ),
    condition=Condition(domains=frozenset({Domain.RL, Domain.GAN})),
    effect=Effect(
        scores={O.ADAM: 1.5, O.RMSPROP: 1.2} | dict.fromkeys(SGD_FAMILY, -0.5),
    ),
    sources=(
        PPO,
        DQN,
        seed("002", *GUIDE_002, quote="强化学习(RL)、GANs、训练早期不稳定的任务"),
        seed("004", *OPENING_004, quote="Adam则基本横扫NLP、RL、GAN"),
    ),
)

PPO_DQN_RECIPES = Rule(
    id="rl_gan.ppo_dqn_recipes",
    topic=Topic.RL_GAN,
    summary=(
        "RL recipes: PPO uses Adam at lr 3e-4 (2.5e-4 on Atari) with eps 1e-5 and the lr "
        "annealed linearly to zero; DQN used RMSProp at lr 2.5e-4. Refines "
        "rl_gan.adaptive_for_unstable."
    ),
    condition=RL,
    effect=Effect(
        params=(
            ParamSetting(families=ADAM_FAMILY, param=P.LR, default=3e-4, low=1e-4, high=1e-3),
            ParamSetting(families=ADAM_FAMILY, param=P.EPS, default=1e-5, low=1e-8, high=1e-4),
            ParamSetting(families=of(O.RMSPROP), param=P.LR, default=2.5e-4, low=5e-5, high=1e-3),
        ),
        schedules=(
            ScheduleSetting(
                families=ADAM_FAMILY | {O.RMSPROP},
                schedule=ScheduleSpec(name=ScheduleName.WARMUP_LINEAR),
            ),
        ),
    ),
    sources=(PPO, PPO_DETAILS, DQN),
    refines=("rl_gan.adaptive_for_unstable",),
)

GAN_BETAS = Rule(
    id="rl_gan.gan_betas",
    topic=Topic.RL_GAN,
    summary=(
        "GANs: Adam at lr 1e-4 to 2e-4 with a low beta1, 0.5 as in DCGAN (WGAN-GP uses beta1 0 "
        "and beta2 0.9). Refines rl_gan.adaptive_for_unstable."
    ),
    condition=GAN,
    effect=Effect(
        params=(
            ParamSetting(families=ADAM_FAMILY, param=P.LR, default=2e-4, low=5e-5, high=5e-4),
            ParamSetting(families=WITH_BETAS, param=P.BETA1, default=0.5, low=0.0, high=0.9),
            ParamSetting(families=WITH_BETAS, param=P.BETA2, default=0.999, low=0.9, high=0.9999),
        ),
    ),
    sources=(DCGAN, WGAN_GP),
    refines=("rl_gan.adaptive_for_unstable",),
)

RULES: tuple[Rule, ...] = (ADAPTIVE_FOR_UNSTABLE, PPO_DQN_RECIPES, GAN_BETAS)
