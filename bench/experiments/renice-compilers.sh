#!/usr/bin/env bash
# Experiment (#22, docs/performance.md, "The first minute again"): lower the JIT compiler threads of every Tandem service JVM to nice 19, as they appear.
# Runs until killed; logs each thread it renices once.
declare -A done
while true; do
  for p in $(pgrep -f "quarkus-app/quarkus-run.jar"); do
    for t in /proc/$p/task/*; do
      tid=${t##*/}
      [[ -n "${done[$tid]:-}" ]] && continue
      c=$(cat $t/comm 2>/dev/null) || continue
      case "$c" in
        "C1 CompilerThre"*|"C2 CompilerThre"*|"Training replay"*)
          renice -n 19 -p $tid >/dev/null 2>&1 && done[$tid]=1 && echo "$(date +%T) pid $p tid $tid '$c' -> nice 19" ;;
      esac
    done
  done
  sleep 0.2
done
