"""Counts, in a JDK Flight Recording, the samples that have a frame matching a pattern (each frame once per sample).

usage: python3 frames.py FILE.jfr EVENT FRAME_REGEX [WITHIN]
  EVENT        jdk.CPUTimeSample (JDK 25's CPU-time sampler, what `./tandem bench --profile` records) or
               jdk.ExecutionSample
  FRAME_REGEX  the frames to count, e.g. '^org\\.tandem'
  WITHIN       only samples with a frame containing this text, e.g. AttemptRecorder.record

Prints each matching frame with its samples and their share of all the recording's samples.
Needs `jfr` from a JDK 25 (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64).
"""
import collections
import os
import re
import subprocess
import sys

jfr_file, event, pattern = sys.argv[1], sys.argv[2], re.compile(sys.argv[3])
within = sys.argv[4] if len(sys.argv) > 4 else None
jdk = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
out = subprocess.run(
    [os.path.join(jdk, "bin", "jfr"), "print", "--events", event, "--stack-depth", "300", jfr_file],
    capture_output=True, text=True, check=True).stdout
total = considered = 0
inclusive = collections.Counter()
for sample in out.split(event + " {"):
    frames = re.findall(r"^\s+([\w$.<>/]+)\(.*?line:", sample, re.M)
    if not frames:
        continue
    total += 1
    if within and not any(within in f for f in frames):
        continue
    considered += 1
    for f in set(frames):
        if pattern.search(f):
            inclusive[f] += 1
print("samples", total, "considered", considered)
for f, c in inclusive.most_common(60):
    print(f"{c:6d} {100 * c / total:5.1f}% {f}")
