import sys, re, collections, subprocess
# usage: jfrtop.py file.jfr filter_substring
jfr, flt = sys.argv[1], sys.argv[2]
out = subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr","print","--events","jdk.ExecutionSample","--stack-depth","200",jfr],capture_output=True,text=True).stdout
samples = out.split("jdk.ExecutionSample")
tot=0; hit=0; incl=collections.Counter(); self_=collections.Counter(); tandem_self=collections.Counter()
for s in samples:
    frames = re.findall(r"^\s+([\w$.<>/]+)\(.*?line:", s, re.M)
    if not frames: continue
    tot+=1
    if not any(flt in f for f in frames): continue
    hit+=1
    self_[frames[0]]+=1
    for f in set(frames): incl[f]+=1
print("samples", tot, "with", flt, hit)
print("--- top inclusive")
for f,c in incl.most_common(70): print(f"{c:6d} {100*c/hit:5.1f}% {f}")
print("--- top self")
for f,c in self_.most_common(30): print(f"{c:6d} {100*c/hit:5.1f}% {f}")
