#!/bin/bash
# shipper instance boot script, run once as root from EC2 user data on Amazon Linux 2023.
#
# It starts the service's containers and tells CloudFormation whether this instance is good:
# SUCCESS only once the app answers its health check through the reverse proxy (and, behind a
# load balancer, once the target group calls the instance healthy); FAILURE at once, naming the
# step, when anything goes wrong, so a bad release rolls back without waiting for the timeout.
#
# The composer (src/compose/user-data.ts) prepends `#!/bin/bash` and these assignments, all
# single-quoted literals, and drops this file's comment lines (so: no heredocs here):
#   STACK_NAME REGION RESOURCE_ID         what cfn-signal reports to
#   HEALTH_PATH PROXY_PORT HEALTH_INTERVAL HEALTHY_THRESHOLD
#   BOOT_BUDGET                            seconds from this script's start to SUCCESS, else FAILURE
#   LAUNCH_HOOK                            the group's launch lifecycle hook, completed once healthy
#   LOG_GROUP                              where a failed boot leaves its last lines (boot/<instance id>)
#   TARGET_GROUP_ARN                       empty when the service has no target group
#   CONTAINER_NAMES CONTAINER_IMAGES CONTAINER_SPECS
#       parallel arrays in start order; a spec is base64 of gzipped NUL-terminated key/value pairs:
#       arg <docker run option>  cmd <command word>  env NAME=value
#       secret NAME=ssm:<parameter> | NAME=secretsmanager:<arn>  file <host path>\n<content>
#   REGISTRY_LOGINS   private registries to log in to: HOST=ssm:<parameter> | HOST=secretsmanager:<arn>,
#                     the secret holding username:password
# Test hooks: SHIPPER_ROOT prefixes every path this script writes, SHIPPER_IMDS_URL replaces
# the instance metadata endpoint, SHIPPER_SLEEP replaces `sleep` (not the watchdog's) and makes
# the boot clock (SECONDS) move on by the seconds it was asked to sleep,
# SHIPPER_WATCHDOG_GRACE replaces the watchdog's grace after the budget.
#
# Secret values live only in bash variables, in root-only env files and in docker's own
# environment; never in arguments or in the log. Hence no `set -x`, ever.

set -Eeuo pipefail
: "${STACK_NAME:?}" "${REGION:?}" "${RESOURCE_ID:?}" "${TARGET_GROUP_ARN?}"
: "${HEALTH_PATH:?}" "${PROXY_PORT:?}" "${HEALTH_INTERVAL:?}" "${HEALTHY_THRESHOLD:?}"
: "${BOOT_BUDGET:?}" "${LAUNCH_HOOK:?}" "${LOG_GROUP:?}"
: "${CONTAINER_NAMES[0]:?}" "${CONTAINER_IMAGES[0]:?}" "${CONTAINER_SPECS[0]?}"

ROOT=${SHIPPER_ROOT:-}
LOG_FILE=$ROOT/var/log/shipper-boot.log
RUN_DIR=$ROOT/run/shipper
IMDS_URL=${SHIPPER_IMDS_URL:-http://169.254.169.254/latest}
SLEEP=${SHIPPER_SLEEP:-sleep}
PATH=$PATH:/opt/aws/bin
STEP=boot
INSTANCE_ID=
GROUP_NAME=
HOOK_DONE=
MAIN_PID=$$
IN_WATCHDOG=
# bash counts SECONDS from this script's start: the budget covers installing docker and the
# pulls too, and ends before CloudFormation's signal timeout (src/compose/boot-budget.ts).
DEADLINE=$BOOT_BUDGET
WATCHDOG_GRACE=${SHIPPER_WATCHDOG_GRACE:-10}
BOOT_LOG_LINES=50
# The app gets a fixed address on the shipper network, so that one firewall rule keeps it, and
# only it, away from the instance metadata service; Docker hands out the others from the upper half.
NETWORK_SUBNET=192.168.231.0/24
NETWORK_DYNAMIC_RANGE=192.168.231.128/25
APP_ADDRESS=192.168.231.10
# A file, not a variable, marks the signal as sent: subshells inherit the ERR trap, and a
# failure inside one must not lead its parent to signal a second time.
SIGNALLED=$RUN_DIR/signalled.$$
declare -A PASS_THROUGH=()
SPEC_ARGS=() SPEC_CMD=() SPEC_ENV=() SPEC_SECRETS=() SPEC_FILES=()

umask 077
mkdir -p "${LOG_FILE%/*}" "$RUN_DIR"
# Everything, tool output included, goes to the log; step lines also go to the console (fd 3).
exec 3>&2 >>"$LOG_FILE" 2>&1

log() {
  local line
  printf -v line '%(%Y-%m-%dT%H:%M:%S%z)T shipper-boot [%s] %s' -1 "$STEP" "$*"
  printf '%s\n' "$line" >&2
  printf '%s\n' "$line" >&3
}

# Can an instance of the OLD group have its signal counted for the NEW group? As AWS documents
# it, yes. SignalResource carries only the stack, the logical id, a status and a UniqueId ("When
# you signal Amazon EC2 instances or Auto Scaling groups, specify the instance ID that you are
# signaling as the unique ID"); neither it, cfn-signal nor the CreationPolicy documentation says
# CloudFormation checks that the instance belongs to the group it is creating:
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_SignalResource.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-creationpolicy.html
# During a replacing update the old group keeps serving and may launch instances (a scheduled
# scale-out, a health replacement). They run the old launch template's copy of this script,
# which signals the same stack and logical id: their SUCCESS would count toward the new
# group's Count, their FAILURE would roll back a healthy deploy. So an instance signals only
# when its own group is the resource's current physical id, which CloudFormation sets to the
# new group's name when it starts creating it ("Resource creation Initiated"), before any of
# its instances launch. An old group's instance still completes its launch hook and serves.
# (This protects deploys whose old group already runs this script; older user data has no guard.)
signal_is_for_this_group() {
  local current
  [[ -n $GROUP_NAME ]] || return 0
  current=$(retry aws cloudformation describe-stack-resource --stack-name "$STACK_NAME" --logical-resource-id "$RESOURCE_ID" \
    --query StackResourceDetail.PhysicalResourceId --output text --region "$REGION") || {
    log "cannot read the stack's $RESOURCE_ID: signalling unchecked"
    return 0
  }
  if [[ $current != "$GROUP_NAME" ]]; then
    log "not signalling: $GROUP_NAME is not the stack's $RESOURCE_ID ($current)"
    return 1
  fi
}

signal() { # signal EXIT_CODE [REASON]: 0 sent, 1 cfn-signal failed (after retries), 2 not this group's to send
  local args=(--stack "$STACK_NAME" --resource "$RESOURCE_ID" --region "$REGION" --id "${INSTANCE_ID:-$HOSTNAME}" -e "$1")
  if [[ -n ${2:-} ]]; then args+=(--reason "$2"); fi
  signal_is_for_this_group || return 2
  retry cfn-signal "${args[@]}" || return 1
}

claim_signal() { # exactly one outcome per instance, whoever gets here first (the script or its watchdog)
  (set -o noclobber && : >"$SIGNALLED") 2>/dev/null
}

aws_bounded() { # an AWS call on the way out: it must not hold up the signal
  timeout 15 aws "$@" --cli-connect-timeout 5 --cli-read-timeout 10
}

json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//[[:cntrl:]]/?}
  printf '"%s"' "$s"
}

leave_boot_log() { # the last lines of this log, one event each, oldest first, in LOG_GROUP stream boot/<instance id>
  local events=$RUN_DIR/boot-log.json line sep='' t lines=()
  local where=(--log-group-name "$LOG_GROUP" --log-stream-name "boot/$INSTANCE_ID" --region "$REGION")
  [[ -n $INSTANCE_ID ]] || return 0
  mapfile -t lines < <(tail -n "$BOOT_LOG_LINES" "$LOG_FILE")
  t=$((${EPOCHREALTIME//[!0-9]/} / 1000 - ${#lines[@]}))
  for line in "${lines[@]}"; do
    printf '%s{"timestamp":%d,"message":%s}' "$sep" $((t++)) "$(json_string "$line")"
    sep=,
  done | { printf '['; cat; printf ']'; } >"$events"
  aws_bounded logs create-log-stream "${where[@]}" || true
  aws_bounded logs put-log-events "${where[@]}" --log-events "file://$events" >/dev/null || log "cannot leave this log in $LOG_GROUP"
}

complete_launch_hook() { # complete_launch_hook CONTINUE|ABANDON
  aws_bounded autoscaling complete-lifecycle-action --lifecycle-hook-name "$LAUNCH_HOOK" --auto-scaling-group-name "$GROUP_NAME" \
    --instance-id "$INSTANCE_ID" --lifecycle-action-result "$1" --region "$REGION"
}

fail() { # fail MESSAGE: leave the log, signal FAILURE once, naming the current step, and stop
  local reason="$STEP: $1" rc=0
  trap - ERR
  log "FAILED $reason"
  if claim_signal; then
    leave_boot_log || true
    signal 1 "${reason:0:250}" || rc=$?
    if ((rc == 1)); then log "cfn-signal failed; the stack will wait for its timeout"; fi
    # A failed instance must not hold up the rollback's deletion of its group in Pending:Wait.
    if [[ -n $GROUP_NAME && -z $HOOK_DONE ]]; then complete_launch_hook ABANDON || true; fi
    if [[ -n $IN_WATCHDOG ]]; then # stop the script, and the step that hangs
      kill -TERM "$MAIN_PID" 2>/dev/null || true
      exec pkill -TERM -P "$MAIN_PID"
    fi
  fi
  exit 1
}

last_step() { # the step of the newest log line
  sed -n 's/^[^ ]* shipper-boot \[\([a-z-]*\)\] .*/\1/p' "$LOG_FILE" | tail -n 1
}

start_watchdog() { # a step that hangs (a stalled pull, a dnf mirror) must not outlast the budget
  (
    trap - ERR EXIT INT TERM
    IN_WATCHDOG=1
    sleep $((DEADLINE + WATCHDOG_GRACE - SECONDS)) 3>&- || exit 0
    STEP=$(last_step)
    fail "not done within ${BOOT_BUDGET}s of boot"
  ) &
  WATCHDOG=$!
}

on_exit() {
  kill "${WATCHDOG:-}" 2>/dev/null || true
  [[ -e $SIGNALLED ]] || fail "stopped without a result"
}

trap 'fail "unexpected error (exit $?) at line $LINENO"' ERR
trap 'fail "interrupted"' INT TERM
trap on_exit EXIT

pause() { # pause SECONDS; under SHIPPER_SLEEP the boot clock moves on as if it had slept
  "$SLEEP" "$1"
  if [[ -n ${SHIPPER_SLEEP:-} ]]; then SECONDS=$((SECONDS + $1)); fi
}

retry() { # retry COMMAND...: three attempts, for calls that fail while the network settles
  local attempt
  for attempt in 1 2 3; do
    if "$@"; then return 0; fi
    log "attempt $attempt of 3 failed: $1 $2"
    if ((attempt < 3)); then pause $((attempt * 5)); fi
  done
  return 1
}

own_group() {
  aws autoscaling describe-auto-scaling-instances --instance-ids "$INSTANCE_ID" \
    --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text --region "$REGION"
}

within_budget() {
  ((SECONDS < DEADLINE)) || fail "not done within ${BOOT_BUDGET}s of boot"
}

instance_id() {
  local token
  token=$(curl -fsS --max-time 5 -X PUT "$IMDS_URL/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300') &&
    curl -fsS --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$IMDS_URL/meta-data/instance-id"
}

ensure_tools() {
  if ! command -v cfn-signal >/dev/null; then
    retry dnf install -y aws-cfn-bootstrap || log "cannot install cfn-signal"
  fi
  if ! command -v docker >/dev/null; then
    retry dnf install -y docker || fail "cannot install docker"
  fi
  if ! command -v iptables >/dev/null; then
    retry dnf install -y iptables-nft || fail "cannot install iptables"
  fi
  if ! docker info >/dev/null; then
    systemctl enable --now docker || fail "cannot start the docker daemon"
  fi
}

ecr_login_once() { # ecr_login_once REGION REGISTRY: the password goes through a pipe, not argv
  aws ecr get-login-password --region "$1" | docker login --username AWS --password-stdin "$2"
}

ecr_login() {
  local image registry
  local -A seen=()
  for image in "${CONTAINER_IMAGES[@]}"; do
    registry=${image%%/*}
    if [[ -n ${seen[$registry]:-} || ! $registry =~ ^[0-9]{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$ ]]; then
      continue
    fi
    seen[$registry]=1
    log "logging in to $registry"
    retry ecr_login_once "${BASH_REMATCH[1]}" "$registry" || fail "cannot log in to $registry"
  done
}

registry_login_once() { # registry_login_once HOST SECRET: the password goes through a pipe, not argv
  local credentials
  credentials=$(read_secret "$2") || return 1
  [[ $credentials == ?*:* ]] || { log "the secret for $1 does not hold username:password"; return 1; }
  printf '%s' "${credentials#*:}" | docker login --username "${credentials%%:*}" --password-stdin "$1"
}

registry_logins() {
  local entry host
  for entry in "${REGISTRY_LOGINS[@]}"; do
    host=${entry%%=*}
    log "logging in to $host"
    retry registry_login_once "$host" "${entry#*=}" || fail "cannot log in to $host"
  done
}

pull_images() {
  local image
  for image in "${CONTAINER_IMAGES[@]}"; do
    [[ $image == *@sha256:* ]] || fail "$image is not pinned by digest"
    log "pulling $image"
    retry docker pull "$image" || fail "cannot pull $image"
  done
}

load_spec() { # load_spec INDEX: decode that container's spec into the SPEC_* arrays
  local name=${CONTAINER_NAMES[$1]} file=$RUN_DIR/spec key value
  SPEC_ARGS=() SPEC_CMD=() SPEC_ENV=() SPEC_SECRETS=() SPEC_FILES=()
  printf '%s' "${CONTAINER_SPECS[$1]}" | base64 -d | gunzip >"$file" || fail "$name: spec is not valid gzip+base64"
  while IFS= read -r -d '' key && IFS= read -r -d '' value; do
    case $key in
      arg) SPEC_ARGS+=("$value") ;;
      cmd) SPEC_CMD+=("$value") ;;
      env) SPEC_ENV+=("$value") ;;
      secret) SPEC_SECRETS+=("$value") ;;
      file) SPEC_FILES+=("$value") ;;
      *) fail "$name: unknown spec entry '$key'" ;;
    esac
  done <"$file"
}

read_secret() { # read_secret KIND:ID prints the value; Secrets Manager is asked in the ARN's region
  local kind=${1%%:*} id=${1#*:} arn_region
  case $kind in
    ssm) aws ssm get-parameter --with-decryption --name "$id" --query Parameter.Value --output text --region "$REGION" ;;
    secretsmanager)
      IFS=: read -r _ _ _ arn_region _ <<<"$id"
      aws secretsmanager get-secret-value --secret-id "$id" --query SecretString --output text --region "$arn_region"
      ;;
    *) return 1 ;;
  esac
}

add_env() { # add_env INDEX ENV_FILE NAME VALUE
  if [[ $4 == *[$'\r\n']* ]]; then
    # docker's env file holds one line per variable, so a multi-line value travels in the
    # docker client's own environment: the file names the variable and docker reads it there.
    PASS_THROUGH["$1:$3"]=$4
    printf '%s\n' "$3" >>"$2"
  else
    printf '%s=%s\n' "$3" "$4" >>"$2"
  fi
}

write_env_file() { # write_env_file INDEX: plain and secret environment, readable by root only
  local name=${CONTAINER_NAMES[$1]} file="$RUN_DIR/${CONTAINER_NAMES[$1]}.env" entry var ref value
  load_spec "$1"
  : >"$file"
  chmod 600 "$file"
  for entry in "${SPEC_ENV[@]}"; do
    add_env "$1" "$file" "${entry%%=*}" "${entry#*=}"
  done
  for entry in "${SPEC_SECRETS[@]}"; do
    var=${entry%%=*} ref=${entry#*=}
    log "reading $var for $name from ${ref%%:*} ${ref#*:}"
    value=$(retry read_secret "$ref") || fail "cannot read $var for $name from ${ref%%:*} ${ref#*:}"
    add_env "$1" "$file" "$var" "$value"
  done
}

write_host_file() { # write_host_file "PATH\nCONTENT": sidecar configuration, world-readable
  local path=$ROOT${1%%$'\n'*}
  (umask 022 && mkdir -p "${path%/*}" && printf '%s' "${1#*$'\n'}" >"$path")
}

start_container() { # start_container INDEX
  local name=${CONTAINER_NAMES[$1]} entry key address=()
  if [[ $name == app ]]; then address=(--ip "$APP_ADDRESS"); fi
  load_spec "$1"
  for entry in "${SPEC_FILES[@]}"; do
    write_host_file "$entry" || fail "cannot write ${entry%%$'\n'*} for $name"
  done
  docker rm -f "$name" >/dev/null 2>&1 || true
  log "starting $name"
  (
    for key in "${!PASS_THROUGH[@]}"; do
      if [[ $key == "$1:"* ]]; then export "${key#*:}=${PASS_THROUGH[$key]}"; fi
    done
    docker run --detach --name "$name" --network shipper "${address[@]}" --restart unless-stopped \
      --env-file "$RUN_DIR/$name.env" "${SPEC_ARGS[@]}" "${CONTAINER_IMAGES[$1]}" "${SPEC_CMD[@]}"
  ) || fail "docker run failed for $name"
}

app_is_running() { # sets APP_STATE; a restart counts as a crash, as the restart policy hides it
  local status code restarts
  APP_STATE=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}' app) || {
    APP_STATE="container not found"
    return 1
  }
  read -r status code restarts <<<"$APP_STATE"
  APP_STATE="status $status, exit code $code, restarts $restarts"
  [[ $status == running && $restarts == 0 ]]
}

check_budget() { # check_budget WHAT: fail when the boot budget is used up
  app_is_running || fail "app container crashed ($APP_STATE)"
  ((SECONDS < DEADLINE)) || fail "$1 within ${BOOT_BUDGET}s of boot"
}

wait_for_health() {
  local url="http://127.0.0.1:$PROXY_PORT$HEALTH_PATH" passes=0
  log "waiting for $url: $HEALTHY_THRESHOLD passes in a row, every ${HEALTH_INTERVAL}s"
  while :; do
    if curl -fsS --max-time 5 -o /dev/null "$url"; then
      passes=$((passes + 1))
      log "health check passed ($passes/$HEALTHY_THRESHOLD)"
      if ((passes >= HEALTHY_THRESHOLD)); then return 0; fi
    else
      passes=0
    fi
    check_budget "app not healthy at $url"
    pause "$HEALTH_INTERVAL"
  done
}

wait_for_target_health() {
  local state last=
  while :; do
    state=$(aws elbv2 describe-target-health --target-group-arn "$TARGET_GROUP_ARN" --targets "Id=$INSTANCE_ID" \
      --query 'TargetHealthDescriptions[0].TargetHealth.State' --output text --region "$REGION") || state=unknown
    if [[ $state != "$last" ]]; then log "target health: $state"; fi
    if [[ $state == healthy ]]; then return 0; fi
    last=$state
    check_budget "instance not healthy in the target group (last state: $state)"
    pause "$HEALTH_INTERVAL"
  done
}

keep_imds_guard() { # the firewall rule again before dockerd starts, at every start of docker.service
  local dir=$ROOT/etc/systemd/system/docker.service.d
  mkdir -p "$dir" &&
    printf '%s\n' '[Service]' \
      "ExecStartPre=/bin/sh -c 'iptables -N DOCKER-USER 2>/dev/null; iptables -C DOCKER-USER ${IMDS_RULE[*]} 2>/dev/null || iptables -I DOCKER-USER 1 ${IMDS_RULE[*]}'" \
      >"$dir/shipper-imds-guard.conf"
}

STEP=metadata
INSTANCE_ID=$(instance_id) || fail "cannot read the instance id from the instance metadata service"
GROUP_NAME=$(retry own_group) || GROUP_NAME=
if [[ ! $GROUP_NAME =~ ^[^[:space:]]+$ || $GROUP_NAME == None ]]; then
  GROUP_NAME=
  fail "cannot find the Auto Scaling group of $INSTANCE_ID"
fi
log "instance $INSTANCE_ID of $GROUP_NAME, stack $STACK_NAME, resource $RESOURCE_ID, ${BOOT_BUDGET}s to become healthy"
# From here on, with the instance and its group known, a hanging step ends in FAILURE too.
start_watchdog

STEP=tools
ensure_tools
within_budget

STEP=ecr-login
ecr_login
registry_logins

STEP=pull
pull_images
within_budget

STEP=secrets
for i in "${!CONTAINER_NAMES[@]}"; do write_env_file "$i"; done

STEP=network
docker network inspect shipper >/dev/null 2>&1 ||
  docker network create --subnet "$NETWORK_SUBNET" --ip-range "$NETWORK_DYNAMIC_RANGE" shipper || fail "cannot create the docker network"

STEP=imds-guard
# The app must not reach the instance metadata service: it would get the instance role's
# credentials (every sidecar's secrets, cfn-signal, the launch hook). Docker routes container
# traffic for other hosts through the FORWARD chain, where its DOCKER-USER chain comes first; AWS
# documents the same rule for ECS containers ("Restricting access to Amazon EC2 instance
# metadata", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
# Here it matches the app's address only, so the log router and the metrics collector keep the
# instance role (hop limit 2). It is in place before the app starts.
# The rule lives in the kernel only, and Docker restarts the app after a reboot of the instance
# (--restart unless-stopped) without this script: a drop-in for docker.service puts the rule
# back before dockerd starts (Docker keeps an existing DOCKER-USER chain and its rules).
IMDS_RULE=(-s "$APP_ADDRESS/32" -d 169.254.169.254/32 -j REJECT)
log "blocking the app ($APP_ADDRESS) from the instance metadata service"
iptables -I DOCKER-USER 1 "${IMDS_RULE[@]}" || fail "cannot block the app from the instance metadata service"
keep_imds_guard || fail "cannot keep the app blocked from the instance metadata service across a reboot"

STEP=start
for i in "${!CONTAINER_NAMES[@]}"; do start_container "$i"; done

STEP=health
wait_for_health

STEP=launch-hook
# Until now the instance waited in Pending:Wait, unseen by the group's ELB health check; from
# here it is registered with the target group and put InService (src/compose/boot-budget.ts).
retry complete_launch_hook CONTINUE || fail "cannot complete the launch lifecycle hook $LAUNCH_HOOK of $GROUP_NAME"
HOOK_DONE=1
log "launch hook completed: going in service"

if [[ -n $TARGET_GROUP_ARN ]]; then
  STEP=target-health
  wait_for_target_health
fi

STEP=signal
claim_signal || exit 1 # the watchdog has already spoken
rc=0
signal 0 || rc=$?
case $rc in
  0) log "signalled SUCCESS" ;;
  2) ;;
  *)
    log "cfn-signal SUCCESS failed; the stack will wait for its timeout"
    exit 1
    ;;
esac
