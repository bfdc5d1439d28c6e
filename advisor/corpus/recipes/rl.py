"""Published reinforcement-learning recipes: DQN, Rainbow, A2C, PPO, SAC, TD3, DDPG.

Read, at the commit in each URL, from the configs of reference implementations (CleanRL,
RL Baselines3 Zoo, Dopamine, OpenAI Baselines, Spinning Up), because their defaults are what
people actually train with and every number sits in one file. RL has no dataset, so
``dataset_size`` stays unset; ``steps`` counts optimizer updates where the config lets them be
computed (the comment beside it shows the sum, the quote holds its inputs). A linear decay to
zero with no warm-up is recorded as ``warmup_linear`` with ``warmup_fraction=0.0``. RMSprop's
decay (``alpha``) has no field in a Recipe; it is in the quote and ``published_optimizer``.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

# Short aliases keep the records below readable.
O, A, D, R, T = OptimizerName, Architecture, Domain, Regime, TaskDescription  # noqa: E741

_CLEANRL = "github:vwxyzjn/cleanrl"
_CLEANRL_BLOB = (
    "https://github.com/vwxyzjn/cleanrl/blob/fe8d8a03c41a7ef5b523e2e354bd01c363e786bb/cleanrl/"
)
_ZOO = "github:DLR-RM/rl-baselines3-zoo"
_ZOO_BLOB = (
    "https://github.com/DLR-RM/rl-baselines3-zoo/blob/"
    "22e3ff2450fd92033f7f032915e1f64894a09584/hyperparams/"
)
# The zoo's YAML files do not name the optimizer: SB3 policies default to Adam.
_SB3_ADAM = (
    "... [DLR-RM/stable-baselines3@e05d2db stable_baselines3/common/policies.py:] "
    "optimizer_class: type[th.optim.Optimizer] = "
    "th.optim.Adam"
)
_DOPAMINE = "github:google/dopamine"
_DOPAMINE_BLOB = (
    "https://github.com/google/dopamine/blob/"
    "5873f5494ee0c2d7c016d0ab2ad530354fec59d0/dopamine/tf/agents/"
)

RECIPES: tuple[Recipe, ...] = (
    Recipe(
        id="ppo-atari-breakout-cleanrl",
        area=Area.RL,
        source_key=_CLEANRL,
        task=T(
            description=(
                "Train a PPO agent with the Nature-DQN conv net on Atari Breakout from pixels, "
                "8 parallel environments, 10M environment steps"
            ),
            domain=D.RL,
            architecture=A.CNN,
            regime=R.FROM_SCRATCH,
            batch_size=256,
            # 10_000_000 // (8 * 128) = 9765 iterations x 4 epochs x 4 minibatches
            steps=156_240,
        ),
        optimizer=O.ADAM,
        lr=2.5e-4,
        eps=1e-5,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        batch_size=256,
        citation=Citation(
            title="CleanRL: ppo_atari.py",
            url=_CLEANRL_BLOB + "ppo_atari.py",
            where="cleanrl/ppo_atari.py, class Args and optimizer",
            quote=(
                'env_id: str = "BreakoutNoFrameskip-v4" ... total_timesteps: int = 10000000 ... '
                "learning_rate: float = 2.5e-4 ... num_envs: int = 8 ... num_steps: int = 128 "
                "... anneal_lr: bool = True ... num_minibatches: int = 4 ... update_epochs: "
                "int = 4 ... optimizer = optim.Adam(agent.parameters(), lr=args.learning_rate, "
                "eps=1e-5) ... lrnow = frac * args.learning_rate"
            ),
        ),
    ),
    Recipe(
        id="ppo-mujoco-halfcheetah-cleanrl",
        area=Area.RL,
        source_key=_CLEANRL,
        task=T(
            description=(
                "Train a PPO agent with two 64-unit MLPs (actor and critic) on MuJoCo "
                "HalfCheetah, one environment, 1M environment steps"
            ),
            domain=D.RL,
            architecture=A.MLP,
            regime=R.FROM_SCRATCH,
            batch_size=64,
            # 1_000_000 // 2048 = 488 iterations x 10 epochs x 32 minibatches
            steps=156_160,
        ),
        optimizer=O.ADAM,
        lr=3e-4,
        eps=1e-5,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        batch_size=64,
        citation=Citation(
            title="CleanRL: ppo_continuous_action.py",
            url=_CLEANRL_BLOB + "ppo_continuous_action.py",
            where="cleanrl/ppo_continuous_action.py, class Args and optimizer",
            quote=(
                'env_id: str = "HalfCheetah-v4" ... total_timesteps: int = 1000000 ... '
                "learning_rate: float = 3e-4 ... num_envs: int = 1 ... num_steps: int = 2048 "
                "... anneal_lr: bool = True ... num_minibatches: int = 32 ... update_epochs: "
                "int = 10 ... layer_init(nn.Linear(64, 64)) ... optimizer = "
                "optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)"
            ),
        ),
    ),
    Recipe(
        id="sac-mujoco-hopper-cleanrl",
        area=Area.RL,
        source_key=_CLEANRL,
        task=T(
            description=(
                "Train a soft actor-critic agent with 256x256 MLPs on MuJoCo Hopper, "
                "1M environment steps, replay buffer of 1M transitions"
            ),
            domain=D.RL,
            architecture=A.MLP,
            regime=R.FROM_SCRATCH,
            batch_size=256,
        ),
        optimizer=O.ADAM,
        # The actor's rate; the twin critics (and the entropy temperature) use q_lr=1e-3.
        lr=3e-4,
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title="CleanRL: sac_continuous_action.py",
            url=_CLEANRL_BLOB + "sac_continuous_action.py",
            where="cleanrl/sac_continuous_action.py, class Args and optimizers",
            quote=(
                'env_id: str = "Hopper-v4" ... total_timesteps: int = 1000000 ... buffer_size: '
                "int = int(1e6) ... batch_size: int = 256 ... policy_lr: float = 3e-4 ... q_lr: "
                "float = 1e-3 ... self.fc2 = nn.Linear(256, 256) ... q_optimizer = "
                "optim.Adam(list(qf1.parameters()) + list(qf2.parameters()), lr=args.q_lr) "
                "actor_optimizer = optim.Adam(list(actor.parameters()), lr=args.policy_lr)"
            ),
        ),
    ),
    Recipe(
        id="dqn-atari-rl-zoo",
        area=Area.RL,
        source_key=_ZOO,
        task=T(
            description=(
                "Train a DQN agent with a conv net on Atari games from stacked frames, "
                "10M environment steps, replay buffer of 100k transitions, an update every "
                "4 steps"
            ),
            domain=D.RL,
            architecture=A.CNN,
            regime=R.FROM_SCRATCH,
            batch_size=32,
            # (1e7 - 100_000 learning_starts) / train_freq 4
            steps=2_475_000,
        ),
        optimizer=O.ADAM,
        lr=1e-4,
        schedule=ScheduleName.CONSTANT,
        batch_size=32,
        citation=Citation(
            title="RL Baselines3 Zoo: DQN hyperparameters",
            url=_ZOO_BLOB + "dqn.yml",
            where="hyperparams/dqn.yml, atari",
            quote=(
                "atari: ... policy: 'CnnPolicy' n_timesteps: !!float 1e7 buffer_size: 100000 "
                "learning_rate: !!float 1e-4 batch_size: 32 learning_starts: 100000 "
                "target_update_interval: 1000 train_freq: 4 gradient_steps: 1 " + _SB3_ADAM
            ),
        ),
    ),
    Recipe(
        id="td3-halfcheetah-bullet-rl-zoo",
        area=Area.RL,
        source_key=_ZOO,
        task=T(
            description=(
                "Train a TD3 agent with a 400-300 MLP on PyBullet HalfCheetah, 1M environment "
                "steps, one update per step, replay buffer of 200k transitions"
            ),
            domain=D.RL,
            architecture=A.MLP,
            regime=R.FROM_SCRATCH,
            batch_size=256,
            # 1e6 - 10_000 learning_starts, one gradient step per environment step
            steps=990_000,
        ),
        optimizer=O.ADAM,
        lr=7e-4,
        schedule=ScheduleName.CONSTANT,
        batch_size=256,
        citation=Citation(
            title="RL Baselines3 Zoo: TD3 hyperparameters",
            url=_ZOO_BLOB + "td3.yml",
            where="hyperparams/td3.yml, HalfCheetahBulletEnv-v0 (# Tuned)",
            quote=(
                "HalfCheetahBulletEnv-v0: &pybullet-defaults n_timesteps: !!float 1e6 policy: "
                "'MlpPolicy' gamma: 0.98 buffer_size: 200000 learning_starts: 10000 ... "
                "gradient_steps: 1 train_freq: 1 batch_size: 256 learning_rate: !!float 7e-4 "
                'policy_kwargs: "dict(net_arch=[400, 300])" ' + _SB3_ADAM
            ),
        ),
    ),
    Recipe(
        id="ppo-halfcheetah-tuned-rl-zoo",
        area=Area.RL,
        source_key=_ZOO,
        task=T(
            description=(
                "Train a PPO agent with a small MLP on MuJoCo HalfCheetah-v4, one environment, "
                "1M environment steps, normalised observations"
            ),
            domain=D.RL,
            architecture=A.MLP,
            regime=R.FROM_SCRATCH,
            batch_size=64,
            # 1e6 // 512 = 1953 rollouts x 20 epochs x (512 / 64) minibatches
            steps=312_480,
        ),
        optimizer=O.ADAM,
        lr=2.0633e-05,
        eps=1e-5,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="RL Baselines3 Zoo: PPO hyperparameters",
            url=_ZOO_BLOB + "ppo.yml",
            where="hyperparams/ppo.yml, HalfCheetah-v4 (# Tuned, 10 mujoco envs)",
            quote=(
                "HalfCheetah-v4: normalize: true n_envs: 1 policy: 'MlpPolicy' n_timesteps: "
                "!!float 1e6 batch_size: 64 n_steps: 512 gamma: 0.98 learning_rate: 2.0633e-05 "
                "ent_coef: 0.000401762 clip_range: 0.1 n_epochs: 20 "
                + _SB3_ADAM
                + " ... # Small values to avoid NaN in Adam optimizer if optimizer_class == "
                'th.optim.Adam: optimizer_kwargs["eps"] = 1e-5'
            ),
        ),
    ),
    Recipe(
        id="dqn-nature-atari-dopamine",
        area=Area.RL,
        source_key=_DOPAMINE,
        task=T(
            description=(
                "Reproduce the Nature DQN agent on Atari Pong: conv net from pixels, replay "
                "buffer of 1M transitions, 200 iterations of 250k agent steps, an update every "
                "4 steps"
            ),
            domain=D.RL,
            architecture=A.CNN,
            regime=R.FROM_SCRATCH,
            batch_size=32,
        ),
        optimizer=O.RMSPROP,
        published_optimizer="centered RMSProp (TF), decay 0.95",
        lr=0.00025,
        momentum=0.0,
        eps=0.00001,
        schedule=ScheduleName.CONSTANT,
        batch_size=32,
        citation=Citation(
            title="Dopamine: dqn_nature.gin (hyperparameters used in Mnih et al. 2015)",
            url=_DOPAMINE_BLOB + "dqn/configs/dqn_nature.gin",
            where="dopamine/tf/agents/dqn/configs/dqn_nature.gin",
            quote=(
                "# Hyperparameters used in Mnih et al. (2015). ... DQNAgent.update_period = 4 "
                "DQNAgent.target_update_period = 10000 ... DQNAgent.optimizer = "
                "@tf.train.RMSPropOptimizer() tf.train.RMSPropOptimizer.learning_rate = 0.00025 "
                "tf.train.RMSPropOptimizer.decay = 0.95 tf.train.RMSPropOptimizer.momentum = 0.0 "
                "tf.train.RMSPropOptimizer.epsilon = 0.00001 tf.train.RMSPropOptimizer.centered "
                "= True ... Runner.num_iterations = 200 Runner.training_steps = 250000 ... "
                "WrappedReplayBuffer.replay_capacity = 1000000 WrappedReplayBuffer.batch_size = 32"
            ),
        ),
    ),
    Recipe(
        id="rainbow-aaai-atari-dopamine",
        area=Area.RL,
        source_key=_DOPAMINE,
        task=T(
            description=(
                "Reproduce the Rainbow agent (distributional, prioritized replay, 3-step "
                "returns) on Atari Pong, 200 iterations of 250k agent steps"
            ),
            domain=D.RL,
            architecture=A.CNN,
            regime=R.FROM_SCRATCH,
            batch_size=32,
        ),
        optimizer=O.ADAM,
        lr=0.0000625,
        eps=0.00015,
        schedule=ScheduleName.CONSTANT,
        batch_size=32,
        citation=Citation(
            title="Dopamine: rainbow_aaai.gin (hyperparameters follow Hessel et al. 2018)",
            url=_DOPAMINE_BLOB + "rainbow/configs/rainbow_aaai.gin",
            where="dopamine/tf/agents/rainbow/configs/rainbow_aaai.gin",
            quote=(
                "# Hyperparameters follow Hessel et al. (2018). ... RainbowAgent.num_atoms = 51 "
                "... RainbowAgent.update_horizon = 3 ... RainbowAgent.replay_scheme = "
                "'prioritized' ... RainbowAgent.optimizer = @tf.train.AdamOptimizer() ... "
                "tf.train.AdamOptimizer.learning_rate = 0.0000625 "
                "tf.train.AdamOptimizer.epsilon = 0.00015 ... Runner.num_iterations = 200 "
                "Runner.training_steps = 250000 ... WrappedPrioritizedReplayBuffer.batch_size = 32"
            ),
        ),
    ),
    Recipe(
        id="a2c-atari-openai-baselines",
        area=Area.RL,
        source_key="github:openai/baselines",
        task=T(
            description=(
                "Train a synchronous advantage actor-critic (A2C) agent with a conv net on "
                "Atari games, 5-step rollouts from parallel environments, 80M timesteps"
            ),
            domain=D.RL,
            architecture=A.CNN,
            regime=R.FROM_SCRATCH,
        ),
        optimizer=O.RMSPROP,
        published_optimizer="RMSProp (TF), decay alpha 0.99",
        lr=7e-4,
        eps=1e-5,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        citation=Citation(
            title="OpenAI Baselines: a2c.py",
            url=(
                "https://github.com/openai/baselines/blob/"
                "ea25b9e8b234e6ee1bca43083f8f3cf974143998/baselines/a2c/a2c.py"
            ),
            where="baselines/a2c/a2c.py, learn() defaults",
            quote=(
                "nsteps=5, total_timesteps=int(80e6), vf_coef=0.5, ent_coef=0.01, "
                "max_grad_norm=0.5, lr=7e-4, lrschedule='linear', epsilon=1e-5, alpha=0.99, "
                "gamma=0.99 ... lr: float, learning rate for RMSProp (current implementation "
                "has RMSProp hardcoded in) (default: 7e-4) ... trainer = "
                "tf.train.RMSPropOptimizer(learning_rate=LR, decay=alpha, epsilon=epsilon)"
            ),
        ),
    ),
    Recipe(
        id="ddpg-mujoco-spinningup",
        area=Area.RL,
        source_key="github:openai/spinningup",
        task=T(
            description=(
                "Train a DDPG agent with 256x256 MLP actor and critic on a MuJoCo locomotion "
                "task, 100 epochs of 4000 environment steps, replay buffer of 1M transitions"
            ),
            domain=D.RL,
            architecture=A.MLP,
            regime=R.FROM_SCRATCH,
            batch_size=100,
        ),
        optimizer=O.ADAM,
        # pi_lr and q_lr are both 1e-3.
        lr=1e-3,
        schedule=ScheduleName.CONSTANT,
        batch_size=100,
        citation=Citation(
            title="OpenAI Spinning Up: DDPG (PyTorch)",
            url=(
                "https://github.com/openai/spinningup/blob/"
                "038665d62d569055401d91856abb287263096178/"
                "spinup/algos/pytorch/ddpg/ddpg.py"
            ),
            where="spinup/algos/pytorch/ddpg/ddpg.py, ddpg() defaults; core.py MLPActorCritic",
            quote=(
                "def ddpg(env_fn, actor_critic=core.MLPActorCritic, ac_kwargs=dict(), seed=0, "
                "steps_per_epoch=4000, epochs=100, replay_size=int(1e6), gamma=0.99, "
                "polyak=0.995, pi_lr=1e-3, q_lr=1e-3, batch_size=100, start_steps=10000, ... "
                "pi_optimizer = Adam(ac.pi.parameters(), lr=pi_lr) q_optimizer = "
                "Adam(ac.q.parameters(), lr=q_lr) ... [core.py:] hidden_sizes=(256,256)"
            ),
        ),
    ),
)
