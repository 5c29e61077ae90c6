#!/usr/bin/env bash
# Smoke test of the cluster path: the shaded job jar on a real standalone Flink session cluster (a JobManager and a
# TaskManager in two JVMs, assembled from Flink's jars on Maven Central) against a real Kafka broker, submitted with
# Flink's own client (what `flink run` does). In three phases of ten minutes of generated traffic each it checks
#   1. final values committed on pulse.metrics (read_committed), running updates on pulse.metrics.live, checkpoints
#      completing on RocksDB in the job's checkpoint folder;
#   2. a TaskManager killed (SIGKILL) while final values sit in an open Kafka transaction: the job restores from its
#      last checkpoint and every final value is still committed exactly once;
#   3. an upgrade: flink stop with a savepoint, flink run -s from it, with a Flink option added after `run`;
# then serves the results with the jar's exporter, replays the input topics as a batch job on the same cluster and
# requires the committed final values to equal the replay's. It prints what it saw and stops everything it started,
# whatever happens (a killed script's processes are stopped by a watchdog).
#
#   scripts/cluster-smoke.sh [--no-build]
#
# Needs Linux (GNU date, tail --pid), a JDK 17+, Maven (Maven Central the first time) and curl. Takes 3-4 minutes on
# two cores; not part of the test suite. Environment: PULSE_CACHE_DIR (Flink's jars; default ~/.cache/pulse),
# PULSE_SMOKE_DIR (configuration, logs, checkpoints and broker data of the run, kept for inspection and wiped at the
# next start; default target/cluster-smoke), PULSE_SMOKE_DEADLINE (seconds to wait for results; default 240).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/scripts/cluster-smoke"
run="${PULSE_SMOKE_DIR:-$root/target/cluster-smoke}"
deadline="${PULSE_SMOKE_DEADLINE:-240}"
build=true
case "${1:-}" in
  "") ;;
  --no-build) build=false ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }
flink_version="$(pom_property flink.version)"
log4j_version="$(pom_property log4j.version)"
cache="${PULSE_CACHE_DIR:-$HOME/.cache/pulse}/flink-$flink_version"
flink_lib="$cache/lib"
job_jar="$root/flink-jobs/pulse-jobs/target/pulse-jobs-0.1.0-SNAPSHOT-flink.jar"
local_cp="$root/flink-jobs/pulse-local/target/pulse-local.jar:$root/flink-jobs/pulse-local/target/lib/*"
if [[ -x "$root/mvnw" ]]; then mvn=("$root/mvnw"); else mvn=(mvn); fi

started=$SECONDS
say() { printf '[%3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }

# --- teardown: every process this script starts has a file $run/pids/NAME with its id while it runs, and is stopped
# on any exit of the script
pids="" # set once the run folder is fresh
watchdog=""
stop_all() {
  local code=$?
  trap - EXIT INT TERM
  if [[ -n "$pids" ]]; then
    local names
    names="$(ls -t "$pids")" # newest first: exporter, TaskManager, JobManager, broker
    if [[ -n "$names" ]]; then
      say "stopping $(tr '\n' ' ' <<< "$names")"
      for name in $names; do kill -TERM "$(cat "$pids/$name")" 2>/dev/null || true; done
      for name in $names; do
        local pid
        pid="$(cat "$pids/$name")"
        # SIGTERM lets each one shut down cleanly; SIGKILL after 20 s
        for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pids/$name"
      done
    fi
  fi
  [[ -n "$watchdog" ]] && kill "$watchdog" 2>/dev/null || true
  if (( code == 0 )); then say "PASSED in $((SECONDS - started)) s"; else say "logs: $run/log"; fi
  exit "$code"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# spawn NAME COMMAND...: starts a process in the background, output to $run/log/NAME.out, and records its id
spawn() {
  local name="$1"; shift
  "$@" > "$run/log/$name.out" 2>&1 &
  echo "$!" > "$pids/$name"
}
# tracked COMMAND...: runs a command to its end like any other, but with its id recorded while it runs (so a killed
# script leaves no check or client JVM behind either)
tracked() {
  local pid code=0
  "$@" &
  pid=$!
  echo "$pid" > "$pids/cmd-$pid"
  wait "$pid" || code=$?
  rm -f "$pids/cmd-$pid"
  return "$code"
}
# ended NAME: waits for a spawned process to end by itself; fails as it did
ended() {
  local code=0
  wait "$(cat "$pids/$1")" || code=$?
  rm -f "$pids/$1"
  return "$code"
}

# waits until a command succeeds, or fails naming what it waited for
await() {
  local what="$1" seconds="$2"; shift 2
  local until=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < until )) || fail "$what did not happen within $seconds s"
    sleep 1
  done
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# a port nobody listens on, not handed out before in this run
taken_ports=" "
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 30000))
    if [[ "$taken_ports" != *" $port "* ]] && ! port_answers "$port"; then
      taken_ports+="$port "
      echo "$port"
      return
    fi
  done
  fail "no free port found"
}

# --- 0. build and fetch --------------------------------------------------------------------------------------------
command -v javac >/dev/null || fail "a JDK 17 or newer is needed (java and javac)"
command -v curl >/dev/null || fail "curl is needed"
if $build || [[ ! -f "$job_jar" ]]; then
  say "building the job jar and the local runtime (mvn package)"
  (cd "$root" && "${mvn[@]}" -q -B -DskipTests package)
fi
[[ -f "$job_jar" ]] || fail "no job jar at $job_jar"

if [[ ! -f "$flink_lib/.complete" ]]; then
  say "fetching Flink $flink_version's jars from Maven Central into $flink_lib"
  mkdir -p "$cache"
  rm -rf "$flink_lib"
  cp "$here/flink-lib.pom.xml" "$cache/pom.xml"
  (cd "$cache" && "${mvn[@]}" -q -B -f "$cache/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$flink_lib" -Dflink.version="$flink_version" -Dlog4j.version="$log4j_version")
  touch "$flink_lib/.complete"
fi

rm -rf "$run"
pids="$run/pids"
mkdir -p "$run/conf" "$run/log" "$run/tmp" "$run/kafka" "$pids"
# should this script be killed outright (no trap runs), the watchdog stops what it started
( tail --pid=$$ -f /dev/null
  cat "$pids"/* | xargs -r kill -KILL ) >/dev/null 2>&1 &
watchdog=$!

# Flink's JVMs run on Java 17 with the module openings its distribution's config.yaml lists (env.java.opts.all) and
# its bin/ scripts pass to every JVM, the client included
java17_opens="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

cat > "$run/conf/log4j.properties" <<EOF
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.name = file
appender.file.type = File
appender.file.fileName = \${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-50c{1.} - %m%n
EOF

# --- 1. Kafka: a single-node KRaft broker on loopback (pulse-local's broker main) ---------------------------------
kafka_port="$(free_port)"
bootstrap="127.0.0.1:$kafka_port"
controller_port="$(free_port)"
cat > "$run/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
log.dirs=$run/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
say "starting Kafka on $bootstrap"
spawn kafka java -Xms128m -Xmx512m -Djava.io.tmpdir="$run/tmp" \
    -Dlog.file="$run/log/kafka.log" -Dlog4j2.configurationFile="$run/conf/log4j.properties" \
    -cp "$local_cp" dev.pulse.local.KafkaBrokerProcess $$ "$cluster_id" "$run/kafka/server.properties"

# --- 2. Flink: a standalone session cluster, JobManager and TaskManager in their own JVMs --------------------------
rpc_port="$(free_port)"
rest_port="$(free_port)"
rest="http://127.0.0.1:$rest_port"
cat > "$run/conf/config.yaml" <<EOF
jobmanager:
  bind-host: 127.0.0.1
  rpc:
    address: 127.0.0.1
    port: $rpc_port
  memory:
    process:
      size: 1024m
taskmanager:
  bind-host: 127.0.0.1
  host: 127.0.0.1
  numberOfTaskSlots: 2
  memory:
    process:
      size: 1728m
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $rest_port
io:
  tmp:
    dirs: $run/tmp
# the cluster's defaults are Flink's (heap state, its own checkpoint folder); the job brings RocksDB, incremental
# checkpoints and its checkpoint folder with it, which the checks below verify
state:
  backend:
    type: hashmap
    rocksdb:
      log:
        dir: $run/log/rocksdb
env:
  java:
    opts:
      all: $java17_opens
execution:
  checkpointing:
    dir: file://$run/cluster-checkpoints
    savepoint-dir: file://$run/savepoints
EOF

# the JVM options and memory settings Flink's own start scripts compute (bin/jobmanager.sh, bin/taskmanager.sh)
resource_params() {
  java -cp "$flink_lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$run/conf" \
      | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}
flink_jvm() {
  local name="$1" class="$2" params="$3"
  local jvm_opts dynamic
  jvm_opts="$(sed -n 1p <<< "$params")"
  dynamic="$(sed -n 2p <<< "$params")"
  # shellcheck disable=SC2086 # the options are words on purpose
  spawn "$name" java $jvm_opts $java17_opens -Djava.io.tmpdir="$run/tmp" -Dlog.file="$run/log/$name.log" \
      -Dlog4j.configurationFile="$run/conf/log4j.properties" -cp "$flink_lib/*" "$class" \
      --configDir "$run/conf" $dynamic
}
start_taskmanager() {
  flink_jvm "$1" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$(resource_params GET_TM_RESOURCE_PARAMS)"
}
say "starting Flink $flink_version: JobManager (REST $rest) and TaskManager"
flink_jvm jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    "$(resource_params GET_JM_RESOURCE_PARAMS)"
start_taskmanager taskmanager

await "Kafka answering on $bootstrap" 180 port_answers "$kafka_port"
javac -d "$run/classes" -cp "$local_cp" "$here/ClusterSmoke.java"
checks_jvm=(java -Dlog.file="$run/log/checks.log" -Dlog4j2.configurationFile="$run/conf/log4j.properties"
    -cp "$run/classes:$local_cp" ClusterSmoke)
indent() { sed 's/^/      /'; }
# check NAME ARGS...: runs one of ClusterSmoke's checks and prints its output indented; fails as the check did.
# (Not in a pipeline: the script waits on it with `wait`, which a Ctrl-C interrupts at once.)
check() {
  local code=0
  tracked "${checks_jvm[@]}" "$@" > "$run/log/check.out" || code=$?
  indent < "$run/log/check.out"
  return "$code"
}
check topics "$bootstrap" || fail "creating the topics"

slots_registered() { curl -sf "$rest/overview" | grep -q '"slots-total":2'; }
await "a TaskManager with 2 slots registering" 120 slots_registered

# --- 3. the job, the traffic and the checks -------------------------------------------------------------------------
# Flink's client as bin/flink runs it: flink_cli NAME ACTION ARGS... prints its output, also kept in $run/log/NAME.out
flink_cli() {
  local name="$1"; shift
  # shellcheck disable=SC2086
  tracked env FLINK_CONF_DIR="$run/conf" java $java17_opens -Djava.io.tmpdir="$run/tmp" \
      -Dlog.file="$run/log/$name.log" -Dlog4j.configurationFile="$run/conf/log4j.properties" \
      -cp "$flink_lib/*" org.apache.flink.client.cli.CliFrontend "$@" > "$run/log/$name.out" 2>&1 \
    || { cat "$run/log/$name.out" >&2; fail "flink $1"; }
  cat "$run/log/$name.out"
}

# submit NAME [-s SAVEPOINT]: flink run -d [-s SAVEPOINT] <jar> run -D... "${job_options[@]}"; sets job_id
job_options=()
submit() {
  local name="$1" out; shift
  out="$(flink_cli "$name" run -d "$@" "$job_jar" run \
      -Dpulse.kafka.bootstrap-servers="$bootstrap" -Dpulse.checkpoint.dir="file://$run/checkpoints" \
      "${job_options[@]}")"
  job_id="$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' <<< "$out" | head -n 1)"
  [[ -n "$job_id" ]] || fail "no job id in the client's output: $out"
}

# ten minutes of event time (batch 0, 1, 2 back to back, the last ending ten minutes ago), as fast as Kafka takes it
first_minute=$(( $(date +%s) / 60 * 60 - 40 * 60 ))
generate() {
  local from
  from="$(date -u -d "@$((first_minute + $1 * 600))" +%Y-%m-%dT%H:%M:%SZ)"
  say "generating 10 minutes of traffic from $from (the job jar's generate, on Flink's lib)"
  spawn "generate-$1" java -Djava.io.tmpdir="$run/tmp" -Dlog.file="$run/log/generate-$1.log" \
      -Dlog4j.configurationFile="$run/conf/log4j.properties" -cp "$job_jar:$flink_lib/*" dev.pulse.cli.PulseCli \
      generate --to kafka -Dpulse.kafka.bootstrap-servers="$bootstrap" --seed "$((7 + $1))" --start "$from" \
      --duration PT10M --fast
}
generated() {
  ended "generate-$1" || { cat "$run/log/generate-$1.out" >&2; fail "generate"; }
  indent < "$run/log/generate-$1.out"
}

# every minute generated so far but the last has closed (the watermark stays 5 s behind the newest event)
check_results() {
  say "waiting up to $deadline s for committed final values of $1 minutes and running updates"
  check results "$bootstrap" "$1" "$deadline" || fail "final values or running updates missing"
}
check_job() {
  say "job $job_id: waiting for a checkpoint (REST $rest)"
  check job "$rest" "$job_id" "$1" 120 "file:$run/checkpoints/" || fail "the job is not healthy"
}

say "phase 1: flink run -d $(basename "$job_jar") run -Dpulse.kafka.bootstrap-servers=$bootstrap ..."
submit client-run
say "job $job_id submitted"
generate 0
generated 0
check_results 9
check_job 0

say "phase 2: the TaskManager dies while final values wait in an open Kafka transaction"
# a watcher connected before the traffic starts lets the TaskManager be killed as soon as the final values are
# written, most likely before the next checkpoint commits them
spawn watch-emitted "${checks_jvm[@]}" emitted "$bootstrap" 19 "$deadline"
watching() { grep -q '^watching' "$run/log/watch-emitted.out"; }
await "the watcher connecting" 60 watching
generate 1
ended watch-emitted || { cat "$run/log/watch-emitted.out" >&2; fail "no final values written"; }
kill -KILL "$(cat "$pids/taskmanager")"
grep -v '^watching' "$run/log/watch-emitted.out" | indent
ended taskmanager 2>/dev/null || true
say "killed the TaskManager (SIGKILL); starting a new one"
start_taskmanager taskmanager-2
generated 1
check_results 19
check_job 1

say "phase 3: upgrade: stop with a savepoint, submit again from it"
savepoint="$(flink_cli client-stop stop --savepointPath "file://$run/savepoints" "$job_id" \
    | sed -n 's/.*Savepoint completed. Path: \(.*\)$/\1/p')"
[[ -n "$savepoint" ]] || fail "no savepoint path in the client's output"
say "savepoint $savepoint"
# a Flink option given after `run` reaches the job too: the upgraded job keeps its last checkpoint when cancelled
job_options=(-Dexecution.checkpointing.externalized-checkpoint-retention=RETAIN_ON_CANCELLATION)
submit client-run-from-savepoint -s "$savepoint"
say "job $job_id submitted from the savepoint, now keeping its checkpoints when cancelled (a Flink option after run)"
generate 2
generated 2
check_results 29
check_job 0

# --- 4. the exporter from the same jar ------------------------------------------------------------------------------
exporter_port="$(free_port)"
say "the job jar's exporter on http://127.0.0.1:$exporter_port/metrics"
spawn exporter java -Djava.io.tmpdir="$run/tmp" -Dlog.file="$run/log/exporter.log" \
    -Dlog4j.configurationFile="$run/conf/log4j.properties" -cp "$job_jar:$flink_lib/*" dev.pulse.cli.PulseCli \
    export --port "$exporter_port" -Dpulse.kafka.bootstrap-servers="$bootstrap"
serves_final_values() { curl -sf "http://127.0.0.1:$exporter_port/metrics" | grep -q '^ecom_page_views_last_minute{'; }
await "the exporter serving ecom_page_views_last_minute" 60 serves_final_values
curl -sf "http://127.0.0.1:$exporter_port/metrics" > "$run/log/exporter-metrics.txt"
say "$(grep -c '^ecom_.*_last_minute{' "$run/log/exporter-metrics.txt") series of final values served, e.g."
grep '^ecom_gmv_last_minute{' "$run/log/exporter-metrics.txt" | head -n 2 | indent

# --- 5. a batch recomputation on the same cluster: the committed final values must equal it -------------------------
say "stopping the metrics job (flink cancel); replaying the input topics as a batch job on the cluster"
flink_cli client-cancel cancel "$job_id" > /dev/null
no_job_running() { curl -sf "$rest/overview" | grep -q '"jobs-running":0'; }
await "the metrics job ending" 60 no_job_running
kept="$(ls -d "$run/checkpoints/$job_id"/chk-* 2>/dev/null | tail -n 1)"
[[ -n "$kept" ]] || fail "the cancelled job left no checkpoint, despite RETAIN_ON_CANCELLATION"
say "checkpoint kept after the cancel: $kept"
flink_cli client-replay run "$job_jar" replay --from-kafka --quiet --out "$run/replay.jsonl" \
    -Dpulse.kafka.bootstrap-servers="$bootstrap" > /dev/null
# the minutes of the three batches but the last, which no watermark closed
closed_before="$(date -u -d "@$((first_minute + 29 * 60))" +%Y-%m-%dT%H:%M:%SZ)"
check compare "$bootstrap" "$run/replay.jsonl" "$closed_before" || fail "the job's results differ from the replay"

