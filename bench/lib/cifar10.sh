# Sourced by the bench scripts: require_cifar10 NAME stops the script with a clear message when CIFAR10_DIR does
# not name the CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin).
require_cifar10() {
  if [[ -z "${CIFAR10_DIR:-}" || ! -f "$CIFAR10_DIR/test_batch.bin" ]]; then
    echo "$1: set CIFAR10_DIR to the folder holding the CIFAR-10 binary batches" >&2
    exit 2
  fi
  export CIFAR10_DIR
}
