"""Counts the samples of a JDK Flight Recording that have a frame matching each pattern (and none matching its exclusion).

usage: python3 samples.py FILE.jfr 'INCLUDE[!EXCLUDE]' ...
  INCLUDE  a regular expression a frame of the sample must match, e.g. 'ReferralCommands\\.history$'
  EXCLUDE  after '!': the sample is not counted when a frame matches it, e.g. '!ReferralResource\\.' to count
           the idempotency interceptor's own work without the command it wraps

Reads jdk.CPUTimeSample (what `./tandem bench --profile` records). Needs `jfr` from a JDK 25 (JAVA_HOME, else
/usr/lib/jvm/temurin-25-jdk-amd64).
"""
import os
import re
import subprocess
import sys

jdk = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
out = subprocess.run(
    [os.path.join(jdk, "bin", "jfr"), "print", "--events", "jdk.CPUTimeSample", "--stack-depth", "300", sys.argv[1]],
    capture_output=True, text=True, check=True).stdout
samples = [re.findall(r"^\s+([\w$.<>/]+)\(.*?line:", s, re.M) for s in out.split("jdk.CPUTimeSample {")]
samples = [s for s in samples if s]


def has(frames, pattern):
    return any(re.search(pattern, f) for f in frames)


print("total", len(samples))
for spec in sys.argv[2:]:
    include, _, exclude = spec.partition("!")
    n = sum(1 for s in samples if has(s, include) and not (exclude and has(s, exclude)))
    print(f"{n:6d} {spec}")
