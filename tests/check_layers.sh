#!/usr/bin/env bash
# `make check-layers`: includes point only down the layers of src/
#
#   kernels < core < nn < io < viz < app
#
# A file in src/L may include "M/..." only when M is L or a layer below it,
# and everything above src/kernels reaches the kernels through their one
# interface, "kernels/kernels.hpp" (never kernels/fast/ or kernels/readable/).
# lessons/ and tests/ may include anything. Prints each offending line and
# exits 1 when there is one; run from the repository's top.
set -euo pipefail
layers=(kernels core nn io viz app)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }

bad=0
while IFS= read -r hit; do                          # src/L/....cpp:LINE:#include "M/..."
    file=${hit%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$hit")
    from=$(cut -d/ -f2 <<<"$file")
    to=${inc%%/*}
    rf=$(rank "$from") rt=$(rank "$to")
    if [ "$rf" -lt 0 ]; then
        echo "check-layers: $file is in no layer (src/{${layers[*]}})"; bad=1
    elif [ "$rt" -lt 0 ]; then
        echo "check-layers: $hit: \"$inc\" names no layer of src/"; bad=1
    elif [ "$rt" -gt "$rf" ]; then
        echo "check-layers: $hit: $from may not include $to (layers: ${layers[*]}, each sees only those before it)"; bad=1
    elif [ "$to" = kernels ] && [ "$from" != kernels ] && [ "$inc" != kernels/kernels.hpp ]; then
        echo "check-layers: $hit: outside src/kernels include only kernels/kernels.hpp"; bad=1
    fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' src --include='*.cpp' --include='*.hpp')

n=$(grep -rlE '#[[:space:]]*include' src --include='*.cpp' --include='*.hpp' | wc -l)
[ "$bad" -eq 0 ] && echo "check-layers: the includes of $n files in src/ point down the layers (${layers[*]})"
exit "$bad"
