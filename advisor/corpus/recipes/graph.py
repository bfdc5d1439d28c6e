"""Graph recipes: GCN, GAT, GraphSAGE and GIN on citation graphs, OGB node and graph property
benchmarks, and the PyG / PyTorch examples.

Every number was read in the cited file at the commit named in its URL; the quote holds the
lines it came from. Full-batch node classification trains on one whole graph per step, so
``batch_size`` is left unset there rather than written as 1 (which would read as "one example").
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

_TKIPF = "https://github.com/tkipf/gcn/blob/39a4089fe72ad9f055ed6fdb9746abdcfebc4d81"
_GAT = "https://github.com/PetarV-/GAT/blob/5af87e7fce2b90ae1cbd621cd58059036a3c7436"
_EXAMPLES = "https://github.com/pytorch/examples/blob/77f55b912142e11fcfdf5b530231fb9c52f181e8"
_GIN = "https://github.com/weihua916/powerful-gnns/blob/9a2ce8ac3e99278307093a464a95caf0fb04b602"
_OGB = "https://github.com/snap-stanford/ogb/blob/61e9784ca76edeaa6e259ba0f836099608ff0586"
_PYG = "https://github.com/pyg-team/pytorch_geometric/blob"

RECIPES: tuple[Recipe, ...] = (
    # --- tkipf/gcn (Kipf & Welling, arXiv:1609.02907) --------------------------------------
    Recipe(
        id="gcn-cora-kipf",
        area=Area.GRAPH,
        source_key="github:tkipf/gcn",
        task=TaskDescription(
            description=(
                "Train a 2-layer graph convolutional network (16 hidden units, dropout 0.5) for "
                "semi-supervised node classification on the Cora citation graph, full-batch, up "
                "to 200 epochs with early stopping on validation loss."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            epochs=200,
        ),
        optimizer=OptimizerName.ADAM,
        published_optimizer="tf.train.AdamOptimizer with an L2 loss term (coupled)",
        lr=0.01,
        weight_decay=5e-4,
        schedule=ScheduleName.CONSTANT,
        citation=Citation(
            title="Semi-Supervised Classification with Graph Convolutional Networks: tkipf/gcn",
            url=f"{_TKIPF}/gcn/train.py",
            where="gcn/train.py flags; gcn/models.py",
            quote=(
                "flags.DEFINE_string('dataset', 'cora', ...) ... flags.DEFINE_float("
                "'learning_rate', 0.01, 'Initial learning rate.') flags.DEFINE_integer('epochs', "
                "200, ...) flags.DEFINE_integer('hidden1', 16, ...) flags.DEFINE_float('dropout', "
                "0.5, ...) flags.DEFINE_float('weight_decay', 5e-4, 'Weight for L2 loss on "
                "embedding matrix.') flags.DEFINE_integer('early_stopping', 10, ...) || "
                "models.py: self.optimizer = tf.train.AdamOptimizer(learning_rate="
                "FLAGS.learning_rate) ... self.loss += FLAGS.weight_decay * tf.nn.l2_loss(var)"
            ),
        ),
    ),
    # --- PetarV-/GAT (Velickovic et al., arXiv:1710.10903) ---------------------------------
    Recipe(
        id="gat-cora-velickovic",
        area=Area.GRAPH,
        source_key="github:PetarV-/GAT",
        task=TaskDescription(
            description=(
                "Train a 2-layer graph attention network (8 heads of 8 hidden units, then 1 "
                "output head) for node classification on the Cora citation graph, full-batch, "
                "with early stopping (patience 100 epochs)."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
        ),
        optimizer=OptimizerName.ADAM,
        published_optimizer="tf.train.AdamOptimizer with an L2 loss term (coupled)",
        lr=0.005,
        weight_decay=0.0005,
        schedule=ScheduleName.CONSTANT,
        citation=Citation(
            title="Graph Attention Networks: PetarV-/GAT",
            url=f"{_GAT}/execute_cora.py",
            where="execute_cora.py (training params); models/base_gattn.py",
            quote=(
                "dataset = 'cora' # training params batch_size = 1 nb_epochs = 100000 patience = "
                "100 lr = 0.005  # learning rate l2_coef = 0.0005  # weight decay hid_units = [8] "
                "# numbers of hidden units per each attention head in each layer n_heads = [8, 1] "
                "|| base_gattn.py: lossL2 = tf.add_n([tf.nn.l2_loss(v) ...]) * l2_coef ... opt = "
                "tf.train.AdamOptimizer(learning_rate=lr)"
            ),
        ),
    ),
    # --- pytorch/examples --------------------------------------------------------------------
    Recipe(
        id="gcn-cora-pytorch-examples",
        area=Area.GRAPH,
        source_key="github:pytorch/examples",
        task=TaskDescription(
            description=(
                "Train a 2-layer GCN (16 hidden units, dropout 0.5) for node classification on "
                "the Cora citation graph in plain PyTorch, full-batch, 200 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            epochs=200,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        weight_decay=5e-4,
        schedule=ScheduleName.CONSTANT,
        citation=Citation(
            title="PyTorch examples: gcn",
            url=f"{_EXAMPLES}/gcn/main.py",
            where="gcn/main.py (argparse defaults, optimizer)",
            quote=(
                "parser.add_argument('--epochs', type=int, default=200, ... '--lr', type=float, "
                "default=0.01, ... '--l2', type=float, default=5e-4, help='weight decay (default: "
                "5e-4)') ... '--dropout-p', type=float, default=0.5, ... '--hidden-dim', "
                "type=int, default=16, ... optimizer = Adam(gcn.parameters(), lr=args.lr, "
                "weight_decay=args.l2)"
            ),
        ),
    ),
    Recipe(
        id="gat-cora-pytorch-examples",
        area=Area.GRAPH,
        source_key="github:pytorch/examples",
        task=TaskDescription(
            description=(
                "Train a graph attention network (8 heads, 64 hidden units, dropout 0.6) for "
                "node classification on the Cora citation graph in plain PyTorch, full-batch, "
                "300 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            epochs=300,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.005,
        weight_decay=5e-4,
        schedule=ScheduleName.CONSTANT,
        citation=Citation(
            title="PyTorch examples: gat",
            url=f"{_EXAMPLES}/gat/main.py",
            where="gat/main.py (argparse defaults, optimizer)",
            quote=(
                "parser.add_argument('--epochs', type=int, default=300, ... '--lr', type=float, "
                "default=0.005, ... '--l2', type=float, default=5e-4, ... '--dropout-p', "
                "type=float, default=0.6, ... '--hidden-dim', type=int, default=64, ... "
                "'--num-heads', type=int, default=8, ... optimizer = Adam(gat_net.parameters(), "
                "lr=args.lr, weight_decay=args.l2)"
            ),
        ),
    ),
    # --- weihua916/powerful-gnns (Xu et al., arXiv:1810.00826) -----------------------------
    Recipe(
        id="gin-tu-mutag-powerful-gnns",
        area=Area.GRAPH,
        source_key="github:weihua916/powerful-gnns",
        task=TaskDescription(
            description=(
                "Train a 5-layer graph isomorphism network (64 hidden units, sum pooling, "
                "dropout 0.5) for graph classification on the MUTAG molecule dataset, batch 32 "
                "graphs, 350 epochs of 50 iterations each, on one of 10 cross-validation folds."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=32,
            epochs=350,
            steps=17500,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        schedule=ScheduleName.STEP,
        batch_size=32,
        citation=Citation(
            title="How Powerful are Graph Neural Networks?: weihua916/powerful-gnns",
            url=f"{_GIN}/main.py",
            where="main.py (argparse defaults, optimizer and scheduler)",
            quote=(
                "'--dataset', type=str, default=\"MUTAG\" ... '--batch_size', type=int, "
                "default=32 ... '--iters_per_epoch', type=int, default=50 ... '--epochs', "
                "type=int, default=350 ... '--lr', type=float, default=0.01 ... '--num_layers', "
                "type=int, default=5 ... '--hidden_dim', type=int, default=64 ... "
                "'--final_dropout', type=float, default=0.5 ... optimizer = optim.Adam("
                "model.parameters(), lr=args.lr) scheduler = optim.lr_scheduler.StepLR(optimizer, "
                "step_size=50, gamma=0.5)"
            ),
        ),
    ),
    # --- snap-stanford/ogb (OGB baselines) ---------------------------------------------------
    Recipe(
        id="gcn-ogbn-arxiv-ogb",
        area=Area.GRAPH,
        source_key="github:snap-stanford/ogb",
        task=TaskDescription(
            description=(
                "Train a 3-layer GCN (256 hidden units, dropout 0.5) for node classification on "
                "the ogbn-arxiv citation graph, full-batch, 500 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            epochs=500,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        schedule=ScheduleName.CONSTANT,
        citation=Citation(
            title="Open Graph Benchmark: ogbn-arxiv GNN baseline",
            url=f"{_OGB}/examples/nodeproppred/arxiv/gnn.py",
            where="examples/nodeproppred/arxiv/gnn.py",
            quote=(
                "parser.add_argument('--use_sage', action='store_true') "
                "parser.add_argument('--num_layers', type=int, default=3) "
                "parser.add_argument('--hidden_channels', type=int, default=256) "
                "parser.add_argument('--dropout', type=float, default=0.5) "
                "parser.add_argument('--lr', type=float, default=0.01) "
                "parser.add_argument('--epochs', type=int, default=500) ... optimizer = "
                "torch.optim.Adam(model.parameters(), lr=args.lr)"
            ),
        ),
    ),
    Recipe(
        id="graphsage-ogbn-products-ogb",
        area=Area.GRAPH,
        source_key="github:snap-stanford/ogb",
        task=TaskDescription(
            description=(
                "Train a 3-layer GraphSAGE (256 hidden units, dropout 0.5) for product category "
                "prediction on the ogbn-products co-purchase graph, full-batch, 300 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            epochs=300,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        schedule=ScheduleName.CONSTANT,
        citation=Citation(
            title="Open Graph Benchmark: ogbn-products GNN baseline",
            url=f"{_OGB}/examples/nodeproppred/products/gnn.py",
            where="examples/nodeproppred/products/gnn.py (run with --use_sage)",
            quote=(
                "parser.add_argument('--use_sage', action='store_true') "
                "parser.add_argument('--num_layers', type=int, default=3) "
                "parser.add_argument('--hidden_channels', type=int, default=256) "
                "parser.add_argument('--dropout', type=float, default=0.5) "
                "parser.add_argument('--lr', type=float, default=0.01) "
                "parser.add_argument('--epochs', type=int, default=300) ... if args.use_sage: "
                "model = SAGE(...) ... optimizer = torch.optim.Adam(model.parameters(), "
                "lr=args.lr)"
            ),
        ),
    ),
    Recipe(
        id="gin-virtual-ogbg-molhiv-ogb",
        area=Area.GRAPH,
        source_key="github:snap-stanford/ogb",
        task=TaskDescription(
            description=(
                "Train a 5-layer GIN with a virtual node (300-dim embeddings, dropout 0.5) for "
                "molecular property prediction on ogbg-molhiv, batch 32 molecules, 100 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=32,
            epochs=100,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.001,
        schedule=ScheduleName.CONSTANT,
        batch_size=32,
        citation=Citation(
            title="Open Graph Benchmark: ogbg-mol GNN baseline",
            url=f"{_OGB}/examples/graphproppred/mol/main_pyg.py",
            where="examples/graphproppred/mol/main_pyg.py",
            quote=(
                "parser.add_argument('--gnn', type=str, default='gin-virtual', ... '--drop_ratio', "
                "type=float, default=0.5, ... '--num_layer', type=int, default=5, ... "
                "'--emb_dim', type=int, default=300, ... '--batch_size', type=int, default=32, "
                "... '--epochs', type=int, default=100, ... '--dataset', type=str, "
                'default="ogbg-molhiv", ... optimizer = optim.Adam(model.parameters(), lr=0.001)'
            ),
        ),
    ),
    # --- pyg-team/pytorch_geometric examples -------------------------------------------------
    Recipe(
        id="graphsage-reddit-pyg",
        area=Area.GRAPH,
        source_key="github:pyg-team/pytorch_geometric",
        task=TaskDescription(
            description=(
                "Train a 2-layer GraphSAGE (256 hidden units) with neighbour sampling (25 and 10 "
                "neighbours) for node classification on the Reddit post graph, mini-batches of "
                "1024 target nodes, 10 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=1024,
            epochs=10,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        schedule=ScheduleName.CONSTANT,
        batch_size=1024,
        citation=Citation(
            title="PyTorch Geometric examples: reddit.py",
            url=f"{_PYG}/110a0cd79e95f4c9651d556c203bb8a5d02d765c/examples/reddit.py",
            where="examples/reddit.py",
            quote=(
                "kwargs = {'batch_size': 1024, ...} train_loader = NeighborLoader(data, "
                "input_nodes=data.train_mask, num_neighbors=[25, 10], shuffle=True, **kwargs) ... "
                "model = SAGE(dataset.num_features, 256, dataset.num_classes).to(device) "
                "optimizer = torch.optim.Adam(model.parameters(), lr=0.01) ... for epoch in "
                "range(1, 11):"
            ),
        ),
    ),
    Recipe(
        id="gin-mutag-pyg",
        area=Area.GRAPH,
        source_key="github:pyg-team/pytorch_geometric",
        task=TaskDescription(
            description=(
                "Train a 5-layer GIN with batch norm (32 hidden units, sum pooling) for graph "
                "classification on MUTAG, batch 128 graphs, 100 epochs."
            ),
            domain=Domain.GRAPH,
            architecture=Architecture.GNN,
            regime=Regime.FROM_SCRATCH,
            batch_size=128,
            epochs=100,
        ),
        optimizer=OptimizerName.ADAM,
        lr=0.01,
        # Halved once, at epoch 51.
        schedule=ScheduleName.STEP,
        batch_size=128,
        citation=Citation(
            title="PyTorch Geometric examples: mutag_gin.py",
            url=f"{_PYG}/07ba77448de44a16beacbfc136b553b540208003/examples/mutag_gin.py",
            where="examples/mutag_gin.py",
            quote=(
                "train_loader = DataLoader(train_dataset, batch_size=128) ... dim = 32 ... "
                "optimizer = torch.optim.Adam(model.parameters(), lr=0.01) ... if epoch == 51: "
                "for param_group in optimizer.param_groups: param_group['lr'] = 0.5 * "
                "param_group['lr'] ... for epoch in range(1, 101):"
            ),
        ),
    ),
)
