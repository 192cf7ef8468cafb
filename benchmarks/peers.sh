# Sourced by compare*.sh: finds the peer scripts (PyTorch, NumPy/OpenBLAS, TorchSharp runners), which live outside this
# repository. DENDRITE_PEERS (or the older PEERS) names their folder; the default is ../shared/peers of the development
# checkout. Without them, say so and how to point at them, and stop before building anything.
peers=${DENDRITE_PEERS:-${PEERS:-../shared/peers}}
if [ ! -f "$peers/run.sh" ]; then
  {
    echo "$(basename "$0"): the peer scripts are not at '$peers' (no run.sh there)."
    echo "They are not part of this repository: the development checkout has them in ../shared/peers."
    echo "Point DENDRITE_PEERS at a folder holding run.sh and setup.sh (run setup.sh once), for example:"
    echo "  DENDRITE_PEERS=/path/to/peers bash benchmarks/$(basename "$0") 2"
    echo "Dendrite alone needs no peers: dotnet run -c Release --project benchmarks/Dendrite.Benchmarks -- w1 w2 w3 w4 gemm"
  } >&2
  exit 2
fi
