"""Where rules come from: the seed documents (by file and section) and public references.

A rationale cites the public references a person can open, then the rule's own id; a rule
from the seed tutorials names the tutorial and section in English words, never a file path."""

from __future__ import annotations

from typing import Literal

from advisor.rules.base import Reference, SeedSource

SeedNumber = Literal["000", "001", "002", "003", "004"]

#: The seed documents in ``seeds/``, by their number.
SEED_FILES: dict[SeedNumber, str] = {
    "000": "000_ea1261471f0af607.txt",
    "001": "001_aa209b84cc2ff61e.txt",
    "002": "002_0d726849af64c4c7.txt",
    "003": "003_c7c65a806c8a1e3a.txt",
    "004": "004_d991d6403062fd5e.txt",
}


#: Every seed heading a rule cites, in English: a rationale names the section in words a
#: person reads (the seeds are Chinese tutorials that ship with tunewise, not with its users).
SECTION_WORDS: dict[str, str] = {
    "(closing answer, untitled)": "closing answer",
    "(opening table, untitled)": "opening table",
    "1. 实践选型建议": "1. Practical choices",
    "2. 核心参数参考": "2. Key parameter values",
    "Q1: 为什么我的loss不下降?": "Q1: Why does my loss not go down?",
    "Q2: Adam vs SGD, 到底选哪个?": "Q2: Adam or SGD, which one?",
    "Q3: 如何调整超参数?": "Q3: How to tune the hyperparameters?",
    "SGD: 随机梯度下降": "SGD: stochastic gradient descent",
    "七、 总结与实践选型指南": "7. Summary and practical selection guide",
    "七、AdamW：工程上的事实标准": "7. AdamW: the de facto standard in practice",
    "七、优化器高级功能": "7. Advanced optimizer features",
    "九、优化器选择建议(初学者版)": "9. Choosing an optimizer (for beginners)",
    "优点": "Advantages",
    "八、初学者常见误区 & 注意事项": "8. Common beginner mistakes and cautions",
    "八、常见超参数": "8. Common hyperparameters",
    "六、 Adam 与 AdamW:动量与自适应的结合": "6. Adam and AdamW: momentum meets adaptivity",
    "具体建议": "Concrete advice",
    "动手小练习": "Hands-on exercises",
    "十、总结:优化器四步使用法": "10. Summary: using an optimizer in four steps",
    "四、常用优化器对比与使用场景": "4. Common optimizers compared, and when to use each",
    "如何选择优化器": "How to choose an optimizer",
    "学习率调度器": "Learning-rate schedulers",
    "常用策略": "Common strategies",
    "常见问题解答": "FAQ",
    "快速决策树": "Quick decision tree",
    "总结": "Summary",
    "新手推荐配置": "Recommended beginner configuration",
    "详细对比表": "Detailed comparison table",
    "🔹 PyTorch 代碼示例": "PyTorch code examples",
    "🔹 如何選擇適合的優化器？": "How to choose a suitable optimizer",
    "🔹 總結": "Summary",
}


def seed(number: SeedNumber, *section: str, quote: str | None = None) -> SeedSource:
    """A seed section; a location in parentheses (an untitled part) must carry a quote."""
    words = tuple(SECTION_WORDS[heading] for heading in section)
    return SeedSource(file=SEED_FILES[number], section=section, quote=quote, section_words=words)


# Section headings used by several rules, spelled exactly as in the seeds.
CHOOSING_000 = ("如何选择优化器",)
DECISION_TREE_000 = (*CHOOSING_000, "快速决策树")
COMPARISON_TABLE_000 = (*CHOOSING_000, "详细对比表")
CONCRETE_ADVICE_000 = (*CHOOSING_000, "具体建议")
Q1_000 = ("常见问题解答", "Q1: 为什么我的loss不下降?")
Q2_000 = ("常见问题解答", "Q2: Adam vs SGD, 到底选哪个?")
Q3_000 = ("常见问题解答", "Q3: 如何调整超参数?")
SCHEDULERS_000 = ("学习率调度器", "常用策略")
TABLE_001 = ("四、常用优化器对比与使用场景",)
ADVANCED_001 = ("七、优化器高级功能",)
PITFALLS_001 = ("八、初学者常见误区 & 注意事项",)
CHOICE_001 = ("九、优化器选择建议(初学者版)",)
GUIDE_002 = ("七、 总结与实践选型指南", "1. 实践选型建议")
PARAMS_002 = ("七、 总结与实践选型指南", "2. 核心参数参考")
ADAMW_002 = ("六、 Adam 与 AdamW:动量与自适应的结合",)
ADAMW_003 = ("七、AdamW：工程上的事实标准",)
HYPERPARAMS_003 = ("八、常见超参数",)
CHOOSING_004 = ("🔹 如何選擇適合的優化器？",)
SUMMARY_004 = ("🔹 總結",)
OPENING_004 = ("(opening table, untitled)",)
CLOSING_004 = ("(closing answer, untitled)",)


def _ref(name: str, url: str) -> Reference:
    return Reference(name=name, url=url)


PLAYBOOK = _ref(
    "Godbole et al., Deep Learning Tuning Playbook (Google Research, 2023)",
    "https://github.com/google-research/tuning_playbook",
)
ADAMW_PAPER = _ref(
    "Loshchilov & Hutter, Decoupled Weight Decay Regularization (ICLR 2019)",
    "https://arxiv.org/abs/1711.05101",
)
ALGOPERF = _ref(
    "Dahl et al., Benchmarking Neural Network Training Algorithms (AlgoPerf, 2023)",
    "https://arxiv.org/abs/2306.07179",
)
ALGOPERF_RESULTS = _ref(
    "Kasimbeg et al., Accelerating Neural Network Training: An Analysis of the AlgoPerf "
    "Competition (ICLR 2025)",
    "https://arxiv.org/abs/2502.15015",
)
GOYAL = _ref(
    "Goyal et al., Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour (2017)",
    "https://arxiv.org/abs/1706.02677",
)
RESNET = _ref(
    "He et al., Deep Residual Learning for Image Recognition (CVPR 2016)",
    "https://arxiv.org/abs/1512.03385",
)
GPT3 = _ref(
    "Brown et al., Language Models are Few-Shot Learners (GPT-3, 2020)",
    "https://arxiv.org/abs/2005.14165",
)
ROBERTA = _ref(
    "Liu et al., RoBERTa: A Robustly Optimized BERT Pretraining Approach (2019)",
    "https://arxiv.org/abs/1907.11692",
)
TRANSFORMER = _ref(
    "Vaswani et al., Attention Is All You Need (NeurIPS 2017)", "https://arxiv.org/abs/1706.03762"
)
BERT = _ref(
    "Devlin et al., BERT: Pre-training of Deep Bidirectional Transformers (NAACL 2019)",
    "https://arxiv.org/abs/1810.04805",
)
LORA = _ref(
    "Hu et al., LoRA: Low-Rank Adaptation of Large Language Models (ICLR 2022)",
    "https://arxiv.org/abs/2106.09685",
)
NANOGPT = _ref("Karpathy, nanoGPT (GPT-2 reproduction)", "https://github.com/karpathy/nanoGPT")
DEIT = _ref(
    "Touvron et al., Training data-efficient image transformers (DeiT, ICML 2021)",
    "https://arxiv.org/abs/2012.12877",
)
CONVNEXT = _ref(
    "Liu et al., A ConvNet for the 2020s (ConvNeXt, CVPR 2022)", "https://arxiv.org/abs/2201.03545"
)
DLRM = _ref(
    "Naumov et al., Deep Learning Recommendation Model for Personalization and "
    "Recommendation Systems (DLRM, 2019)",
    "https://arxiv.org/abs/1906.00091",
)
PPO = _ref(
    "Schulman et al., Proximal Policy Optimization Algorithms (2017)",
    "https://arxiv.org/abs/1707.06347",
)
PPO_DETAILS = _ref(
    "Huang et al., The 37 Implementation Details of Proximal Policy Optimization (ICLR Blog "
    "Track 2022)",
    "https://iclr-blog-track.github.io/2022/03/25/ppo-implementation-details/",
)
DQN = _ref(
    "Mnih et al., Human-level control through deep reinforcement learning (Nature 2015)",
    "https://www.nature.com/articles/nature14236",
)
DCGAN = _ref(
    "Radford et al., Unsupervised Representation Learning with Deep Convolutional GANs "
    "(DCGAN, ICLR 2016)",
    "https://arxiv.org/abs/1511.06434",
)
WGAN_GP = _ref(
    "Gulrajani et al., Improved Training of Wasserstein GANs (WGAN-GP, NeurIPS 2017)",
    "https://arxiv.org/abs/1704.00028",
)
CROWDED_VALLEY = _ref(
    "Schmidt, Schneider & Hennig, Descending through a Crowded Valley (ICML 2021)",
    "https://arxiv.org/abs/2007.01547",
)
CHOI = _ref(
    "Choi et al., On Empirical Comparisons of Optimizers for Deep Learning (2019)",
    "https://arxiv.org/abs/1910.05446",
)
NADAM = _ref(
    "Dozat, Incorporating Nesterov Momentum into Adam (ICLR 2016 workshop)",
    "https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ",
)
RADAM = _ref(
    "Liu et al., On the Variance of the Adaptive Learning Rate and Beyond (RAdam, ICLR 2020)",
    "https://arxiv.org/abs/1908.03265",
)
ADAFACTOR = _ref(
    "Shazeer & Stern, Adafactor: Adaptive Learning Rates with Sublinear Memory Cost (ICML 2018)",
    "https://arxiv.org/abs/1804.04235",
)
MUON = _ref(
    "Jordan et al., Muon: An optimizer for hidden layers in neural networks (2024)",
    "https://kellerjordan.github.io/posts/muon/",
)
MUON_SCALE = _ref(
    "Liu et al., Muon is Scalable for LLM Training (2025)", "https://arxiv.org/abs/2502.16982"
)
TORCH_OPTIM = _ref(
    "PyTorch documentation, torch.optim", "https://docs.pytorch.org/docs/stable/optim.html"
)
OPTUNA_SAMPLERS = _ref(
    "Optuna documentation, samplers and pruners",
    "https://optuna.readthedocs.io/en/stable/reference/samplers/index.html",
)
SMITH_CLR = _ref(
    "Smith, Cyclical Learning Rates for Training Neural Networks (2015; the LR range test)",
    "https://arxiv.org/abs/1506.01186",
)
ADAGRAD_PAPER = _ref(
    "Duchi, Hazan & Singer, Adaptive Subgradient Methods for Online Learning and Stochastic "
    "Optimization (Adagrad, JMLR 2011)",
    "https://jmlr.org/papers/v12/duchi11a.html",
)
TORCH_TRAINING_LOOP = _ref(
    "PyTorch tutorials, Optimizing Model Parameters (zero_grad, backward, step in each iteration)",
    "https://docs.pytorch.org/tutorials/beginner/basics/optimization_tutorial.html",
)
HYPERBAND = _ref(
    "Li et al., Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization "
    "(JMLR 2018)",
    "https://arxiv.org/abs/1603.06560",
)
TORCH_OPTIM_SOURCE = _ref(
    "PyTorch source, torch/optim: the state each optimizer keeps per parameter (SGD "
    "momentum_buffer; Adagrad sum; RMSprop square_avg; Adam, AdamW, NAdam, RAdam exp_avg and "
    "exp_avg_sq; Adafactor row_var and col_var)",
    "https://github.com/pytorch/pytorch/tree/main/torch/optim",
)
ZERO = _ref(
    "Rajbhandari et al., ZeRO: Memory Optimizations Toward Training Trillion Parameter Models "
    "(SC 2020)",
    "https://arxiv.org/abs/1910.02054",
)
BUDGETED_TRAINING = _ref(
    "Li, Yumer & Ramanan, Budgeted Training: Rethinking Deep Neural Network Training Under "
    "Resource Constraints (ICLR 2020)",
    "https://arxiv.org/abs/1905.04753",
)
OPTUNA_MULTI_OBJECTIVE = _ref(
    "Optuna documentation, Multi-objective Optimization with Optuna (objectives and "
    "constraints_func)",
    "https://optuna.readthedocs.io/en/stable/tutorial/20_recipes/002_multi_objective.html",
)
TORCH_ADAFACTOR = _ref(
    "PyTorch documentation, torch.optim.Adafactor (foreach defaults to the slower for-loop "
    "implementation, which saves about one parameter-sized buffer of peak memory)",
    "https://docs.pytorch.org/docs/stable/generated/torch.optim.Adafactor.html",
)
TORCH_ADAFACTOR_FOREACH = _ref(
    "PyTorch pull request 132336, foreach Adafactor (off by default: only slightly faster, "
    "O(n) more memory)",
    "https://github.com/pytorch/pytorch/pull/132336",
)
