# shellcheck shell=bash
# Shared by the stub executables: append one call to $SANDBOX/calls.log as the tool name and
# its arguments separated by \x1f, with `\` and line breaks escaped so a call stays one line.
record() {
  local line=$1 arg
  shift
  for arg in "$@"; do
    arg=${arg//\\/\\\\}
    line+=$'\x1f'${arg//$'\n'/\\n}
  done
  printf '%s\n' "$line" >>"$SANDBOX/calls.log"
}

# count NAME: how many times this has been called before, across processes
count() {
  local file="$SANDBOX/count.$1" n=0
  if [[ -f $file ]]; then n=$(<"$file"); fi
  printf '%s' $((n + 1)) >"$file"
  printf '%s' "$n"
}

# option NAME ARGS...: the value following option NAME
option() {
  local name=$1
  shift
  while (($#)); do
    if [[ $1 == "$name" ]]; then
      printf '%s' "${2-}"
      return 0
    fi
    shift
  done
  return 1
}
