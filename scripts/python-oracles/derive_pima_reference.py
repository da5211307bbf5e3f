"""Independent reference values for core/eda/analyse-dataset.test.ts, derived with numpy/scipy (no project code).

Run: python3 scripts/python-oracles/derive_pima_reference.py [path/to/diabetes.csv] (default: the pulled copy in
training/data/).
The printed JSON is pasted into the test; nothing at test time needs Python.
Conventions mirrored from pandas: zeros in Glucose/BloodPressure/SkinThickness/BMI/Insulin -> NaN,
std ddof=1, quantiles linear, skewness scipy.stats.skew(bias=False) (= pandas Series.skew),
Pearson pairwise-complete (= pandas DataFrame.corr), z-scores ddof=0 (= scipy.stats.zscore).
"""
import json
import os
import sys

import numpy as np
from scipy import stats

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "training", "data", "diabetes.csv"
)
header = open(path).readline().strip().split(",")
data = np.loadtxt(path, delimiter=",", skiprows=1)
cols = {name: data[:, i].copy() for i, name in enumerate(header)}
outcome = cols.pop("Outcome").astype(int)
features = header[:-1]
zero_missing = ["Glucose", "BloodPressure", "SkinThickness", "BMI", "Insulin"]
raw = {f: cols[f].copy() for f in features}
for f in zero_missing:
    cols[f][cols[f] == 0] = np.nan

out = {"rows": len(outcome), "positives": int(outcome.sum())}
out["zeros"] = {f: int((raw[f] == 0).sum()) for f in features}
out["rowsWithAnyMissing"] = int(np.isnan(np.column_stack([cols[f] for f in zero_missing])).any(axis=1).sum())

dist = {}
for f in features:
    v = cols[f][~np.isnan(cols[f])]
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    dist[f] = dict(n=len(v), mean=v.mean(), std=v.std(ddof=1), min=v.min(), q1=q1, median=med, q3=q3, max=v.max(),
                   skewness=stats.skew(v, bias=False))
out["distributions"] = dist

vs = {}
for f in features:
    v = cols[f]
    pos = v[(outcome == 1) & ~np.isnan(v)]
    neg = v[(outcome == 0) & ~np.isnan(v)]
    n1, n0 = len(pos), len(neg)
    pooled = np.sqrt(((n1 - 1) * pos.var(ddof=1) + (n0 - 1) * neg.var(ddof=1)) / (n1 + n0 - 2))
    mw = stats.mannwhitneyu(pos, neg, alternative="two-sided", method="asymptotic", use_continuity=True)
    vs[f] = dict(posMean=pos.mean(), negMean=neg.mean(), posMedian=np.median(pos), negMedian=np.median(neg),
                 meanDiffPct=(pos.mean() - neg.mean()) / neg.mean() * 100, cohensD=(pos.mean() - neg.mean()) / pooled,
                 u=float(mw.statistic), p=float(mw.pvalue))
out["featureVsOutcome"] = vs

corr = {}
names = features + ["Outcome"]
series = {**cols, "Outcome": outcome.astype(float)}
for i, a in enumerate(names):
    for b in names[i + 1:]:
        m = ~np.isnan(series[a]) & ~np.isnan(series[b])
        corr[f"{a}|{b}"] = [float(stats.pearsonr(series[a][m], series[b][m]).statistic), int(m.sum())]
out["correlation"] = corr

g = cols["Glucose"]; bmi = cols["BMI"]; bp = cols["BloodPressure"]
def band(mask):
    return [int(mask.sum()), int((mask & (outcome == 1)).sum())]
out["thresholds"] = {
    "glucose<100": band(g < 100), "glucose100-125": band((g >= 100) & (g < 126)), "glucose>=126": band(g >= 126),
    "bmi>=30": band(bmi >= 30), "bp>=90": band(bp >= 90),
}
# pandas.cut right-inclusive edges, as the feature engineer: (-inf,30],(30,45],(45,60],(60,inf)
age_group = np.digitize(cols["Age"], [30, 45, 60], right=True)
bmi_ok = ~np.isnan(bmi)
bmi_cat = np.digitize(bmi[bmi_ok], [18.5, 25, 30], right=True)
out["ageGroups"] = [band(age_group == k) for k in range(4)]
out["bmiCategories"] = [[int((bmi_cat == k).sum()), int(((bmi_cat == k) & (outcome[bmi_ok] == 1)).sum())] for k in range(4)]

outl = {}
for f in features:
    v = cols[f]
    ok = ~np.isnan(v)
    z = np.full(len(v), np.nan)
    z[ok] = stats.zscore(v[ok], ddof=0)
    flagged = np.where(np.abs(np.nan_to_num(z)) > 3)[0]
    order = sorted(flagged, key=lambda r: (-abs(z[r]), r))
    # data line = row index + 2 (header is line 1)
    outl[f] = dict(count=len(flagged), topLines=[int(r) + 2 for r in order[:5]], topZ=[float(z[r]) for r in order[:5]])
out["outliers"] = outl

edges = np.linspace(44, 199, 21)
out["glucoseHistogram20"] = np.histogram(cols["Glucose"][~np.isnan(cols["Glucose"])], bins=edges)[0].tolist()
out["pregnanciesCounts"] = np.bincount(cols["Pregnancies"].astype(int)).tolist()

print(json.dumps(out, indent=1, default=float))
