# Shared by scripts/footprint.sh and scripts/ci-window.sh (sourced, not run):
# reads what programs cost from /proc - CPU ticks and run time, context
# switches (wake-ups), resident, proportional and private memory - for a
# process and its children, over the same spell for several programs.
# Expects $work (a folder for scratch files), $hz (getconf CLK_TCK) and
# $seconds (the length of a measurement).

# The process $1 and all its descendants.
tree() {
  local root="$1"
  echo "$root"
  local child
  for child in $(ps -o pid= --ppid "$root" 2>/dev/null); do tree "$child"; done
}

# CPU ticks (utime + stime) of the processes given; the kernel adds the
# ticks of ended threads to their process's.
ticks() { local p; for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{n += $1} END {print n + 0}'; }
threads() { local p; for p in "$@"; do ls "/proc/$p/task" 2>/dev/null; done | wc -l; }
# Sum of a /proc/PID/status field ($1, in kB) over the processes given.
status_kb() { local key="$1" p; shift; for p in "$@"; do awk -v k="$key:" '$1 == k {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{n += $1} END {print n + 0}'; }
pss_kb() { local p; for p in "$@"; do awk '$1 == "Pss:" {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '{n += $1} END {print n + 0}'; }
private_kb() { local p; for p in "$@"; do awk '$1 == "Private_Clean:" || $1 == "Private_Dirty:" {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '{n += $1} END {print n + 0}'; }

# One line per thread of the processes given: "tid context-switches
# run-time-ns". Context switches and run time are per thread, and a thread
# that ends takes its counts along, so the measurement samples every thread
# often and keeps the last figures seen for each.
thread_counts() {
  local p
  for p in "$@"; do
    awk '/^(non)?voluntary_ctxt_switches/ {split(FILENAME, f, "/"); n[f[5]] += $2}
         END {for (t in n) print t, n[t]}' /proc/"$p"/task/*/status 2>/dev/null
  done | sort >"$work/switches.now"
  for p in "$@"; do
    awk '{split(FILENAME, f, "/"); print f[5], $1}' /proc/"$p"/task/*/schedstat 2>/dev/null
  done | sort >"$work/runtime.now"
  join "$work/switches.now" "$work/runtime.now"
}

# Measures the programs named in $names (pids in $roots) over $seconds and
# appends one line per program to $work/results: name cpu% sched% rssMB
# peakMB pssMB wakeups/min threads privateMB.
declare -a names roots
measure() {
  local i tid sw ns
  declare -A first=() last=()
  declare -a t0 pids
  sample() {
    for i in "${!roots[@]}"; do
      pids[$i]="$(tree "${roots[$i]}" | tr '\n' ' ')"
      # shellcheck disable=SC2086
      while read -r tid sw ns; do
        if [ "${1:-}" = start ]; then
          first[$i:$tid]="$sw $ns"
        elif [ -z "${first[$i:$tid]:-}" ]; then
          first[$i:$tid]="0 0"
        fi
        last[$i:$tid]="$sw $ns"
      done < <(thread_counts ${pids[$i]})
    done
  }
  # Threads present at the start count from their figures then; threads
  # started later count from zero.
  sample start
  for i in "${!roots[@]}"; do
    # shellcheck disable=SC2086
    t0[$i]="$(ticks ${pids[$i]})"
  done
  local s0 s1 end
  s0="$(date +%s.%N)"
  end=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$end" ]; do
    sleep 1
    sample
  done
  s1="$(date +%s.%N)"
  for i in "${!roots[@]}"; do
    if ! kill -0 "${roots[$i]}" 2>/dev/null; then
      echo "${names[$i]} exited during the measurement" >&2
      continue
    fi
    local w=0 n=0 key a b
    for key in "${!last[@]}"; do
      [ "${key%%:*}" = "$i" ] || continue
      read -r a b <<<"${first[$key]}"
      read -r sw ns <<<"${last[$key]}"
      w=$((w + sw - a))
      n=$((n + ns - b))
    done
    # shellcheck disable=SC2086
    awk -v name="${names[$i]}" -v hz="$hz" -v s0="$s0" -v s1="$s1" \
      -v t="$(( $(ticks ${pids[$i]}) - t0[$i] ))" -v ns="$n" -v w="$w" \
      -v rss="$(status_kb VmRSS ${pids[$i]})" -v hwm="$(status_kb VmHWM ${pids[$i]})" \
      -v pss="$(pss_kb ${pids[$i]})" -v th="$(threads ${pids[$i]})" \
      -v priv="$(private_kb ${pids[$i]})" '
      BEGIN {
        wall = s1 - s0
        printf "%s\t%.4f\t%.4f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%.1f\n", name, 100 * t / hz / wall,
          100 * ns / 1e9 / wall, rss / 1024, hwm / 1024, pss / 1024, w * 60 / wall, th, priv / 1024
      }' >>"$work/results"
  done
}

# Starts a program in its own fresh home; its pid goes to $started.
start_in_home() {
  local home="$1" log="$2"
  shift 2
  (
    use_home "$home"
    exec "$@" >"$log" 2>&1
  ) &
  started=$!
  session_pids+=("$started")
}
