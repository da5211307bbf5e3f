#!/usr/bin/env python3
"""Derive reference values for core/drift's statistics from scipy (documentation of where the numbers come from).

Run:  python3 scripts/python-oracles/derive_drift_reference.py > core/drift/scipy-reference-values.json
No test runs Python: the JSON output is committed and core/drift/*.test.ts compare against it (1e-6 relative).

Samples are generated from a 32-bit PRNG (mulberry32) using integer arithmetic only, so the TypeScript twin in
core/testing/seeded-samples.ts reproduces them bit for bit; values are integers or exact tenths.
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance
from scipy.stats import _stats_py

M32 = 0xFFFFFFFF


def imul(a, b):
    return ((a & M32) * (b & M32)) & M32


class Mulberry32:
    def __init__(self, seed):
        self.a = seed & M32

    def next_u32(self):
        self.a = (self.a + 0x6D2B79F5) & M32
        a = self.a
        t = imul(a ^ (a >> 15), 1 | a)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & M32) ^ t
        return (t ^ (t >> 14)) & M32

    def below(self, k):
        return self.next_u32() % k


def bell_sample(spec):
    """Sum of four uniform integers in [0, spread]: a bell shape in integer arithmetic, scaled by 1/scale."""
    rng = Mulberry32(spec["seed"])
    out = []
    for _ in range(spec["n"]):
        s = 0
        for _ in range(4):
            s += rng.below(spec["spread"] + 1)
        out.append((spec["offset"] + s) / spec["scale"])
    return out


def category_sample(spec):
    """Categories 0..k-1 drawn with integer weights."""
    rng = Mulberry32(spec["seed"])
    weights = spec["weights"]
    total = sum(weights)
    out = []
    for _ in range(spec["n"]):
        u = rng.below(total)
        k = 0
        while u >= weights[k]:
            u -= weights[k]
            k += 1
        out.append(k)
    return out


def sample(spec):
    return bell_sample(spec) if spec["kind"] == "bell" else category_sample(spec) if spec["kind"] == "cat" else spec["values"]


def bell(seed, n, offset, spread, scale=1):
    return {"kind": "bell", "seed": seed, "n": n, "offset": offset, "spread": spread, "scale": scale}


def cat(seed, n, weights):
    return {"kind": "cat", "seed": seed, "n": n, "weights": weights}


def literal(values):
    return {"kind": "literal", "values": values}


def ks_cases():
    cases = [
        ("5 vs 7 by hand", literal([1.0, 2.0, 3.0, 4.0, 5.0]), literal([2.5, 3.5, 6.0, 7.0, 8.0, 9.0, 10.0])),
        ("equal sizes 50 vs 50 with ties", bell(1, 50, 0, 10), bell(2, 50, 3, 10)),
        ("equal sizes 200 vs 200, no shift", bell(3, 200, 0, 30), bell(4, 200, 0, 30)),
        ("pima-like 460 vs 300 integers", bell(5, 460, 40, 40), bell(6, 300, 44, 40)),
        ("460 vs 300 tenths, no shift", bell(7, 460, 150, 100, 10), bell(8, 300, 150, 100, 10)),
        ("614 vs 10000 exact at the boundary", bell(9, 614, 60, 50), bell(10, 10000, 62, 50)),
        ("614 vs 10001 asymptotic, small shift", bell(11, 614, 60, 50), bell(12, 10001, 61, 50)),
        ("614 vs 50000 asymptotic, large shift", bell(13, 614, 60, 50), bell(14, 50000, 75, 50)),
        ("614 vs 20000 asymptotic, no shift", bell(15, 614, 600, 500, 10), bell(16, 20000, 600, 500, 10)),
        ("100 vs 20000 asymptotic, n <= 140", bell(17, 100, 0, 25), bell(18, 20000, 2, 25)),
        ("120 vs 12000 asymptotic, n <= 140, tiny shift", bell(19, 120, 0, 400), bell(20, 12000, 10, 400)),
        ("30 vs 15000 asymptotic, big shift", bell(21, 30, 0, 25), bell(22, 15000, 20, 25)),
        ("7 vs 3 exact", literal([0.1, 0.4, 0.7, 0.2, 0.9, 0.3, 0.5]), literal([0.6, 0.8, 1.0])),
    ]
    out = []
    for name, a, b in cases:
        x, y = sample(a), sample(b)
        r = stats.ks_2samp(x, y, method="auto")
        out.append({"name": name, "reference": a, "current": b, "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    return out


def kstwo_grid():
    out = []
    for n in [5, 17, 60, 140, 141, 300, 499, 614, 1000, 5000, 150000]:
        for x in [0.01, 0.02, 0.035, 0.05, 0.08, 0.12, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.5 / n + 1e-4, 0.95 / n, 1 - 1.0 / n]:
            if not (0 < x < 1):
                continue
            out.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    return out


def smirnov_grid():
    out = []
    for n in [2, 10, 50, 141, 500, 1500]:
        for x in [0.01, 0.05, 0.1, 0.2, 0.4, 0.6, 0.9]:
            out.append({"n": n, "x": x, "sf": float(special.smirnov(n, x))})
    return out


def exact_two_sample_grid():
    out = []
    for m, n in [(5, 7), (10, 10), (30, 30), (40, 25), (460, 300), (614, 153), (1000, 999)]:
        g = math.gcd(m, n)
        lcm = m // g * n
        for frac in [0.02, 0.05, 0.1, 0.2, 0.4]:
            h = max(1, int(round(frac * lcm)))
            if m == n:
                p = _stats_py._compute_prob_outside_square(n, h)
            else:
                p = _stats_py._compute_outer_prob_inside_method(m, n, g, h)
            out.append({"m": m, "n": n, "h": h, "sf": float(p)})
    # h = 1 with unequal sizes: the band of the lattice recursion is empty from the first row on (p = 1).
    for m, n in [(3, 2), (7, 5), (40, 25), (460, 300)]:
        p = _stats_py._compute_outer_prob_inside_method(m, n, math.gcd(m, n), 1)
        out.append({"m": m, "n": n, "h": 1, "sf": float(p)})
    return out


def gamma_grid():
    out = []
    for a in [0.5, 1, 1.5, 2, 3.5, 10, 50.5]:
        for x in [0.01, 0.3, 1, 2.5, 7, 20, 60, 200]:
            out.append({"a": a, "x": x, "q": float(special.gammaincc(a, x)), "p": float(special.gammainc(a, x))})
    return out


def chi2_grid():
    out = []
    for dof in [1, 2, 3, 5, 9]:
        for x in [0.1, 1, 3.84, 7.5, 15, 40, 120]:
            out.append({"dof": dof, "x": x, "sf": float(stats.chi2.sf(x, dof))})
    return out


def normal_grid():
    return [{"z": z, "cdf": float(stats.norm.cdf(z))} for z in [-9, -5.5, -3, -1.96, -0.5, 0.25, 1, 2.5, 4]]


def chisquare_cases():
    """Evidently's chi_stat_test: chisquare(f_obs=current counts, f_exp=reference counts * n_cur/n_ref)."""
    cases = [
        ("4 categories, same weights", cat(31, 460, [10, 40, 30, 20]), cat(32, 300, [10, 40, 30, 20])),
        ("4 categories, shifted weights", cat(33, 460, [10, 40, 30, 20]), cat(34, 300, [5, 30, 35, 30])),
        ("3 categories vs 1,000,000-like size", cat(35, 614, [20, 50, 30]), cat(36, 20000, [20, 48, 32])),
    ]
    out = []
    for name, a, b in cases:
        x, y = sample(a), sample(b)
        keys = sorted(set(x) | set(y))
        k = len(y) / len(x)
        f_exp = [x.count(key) * k for key in keys]
        f_obs = [y.count(key) for key in keys]
        r = stats.chisquare(f_obs, f_exp)
        out.append({"name": name, "reference": a, "current": b, "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    return out


def contingency_cases():
    tables = [
        [[12, 5], [7, 15]],  # 2x2: Yates applies
        [[120, 80], [95, 105]],
        [[3, 9], [8, 2]],
        [[10, 20, 30, 40], [15, 25, 25, 35]],
        [[50, 10, 5], [30, 20, 15], [10, 10, 40]],
    ]
    out = []
    for t in tables:
        r = stats.chi2_contingency(np.array(t))
        out.append({"table": t, "statistic": float(r.statistic), "pValue": float(r.pvalue), "dof": int(r.dof)})
    return out


def z_cases():
    """Evidently's z_stat_test: smallest value -> 0, others -> 1, pooled z, p = 2 * (1 - norm.cdf(|z|))."""
    cases = [
        ("binary, same rate", cat(41, 460, [65, 35]), cat(42, 300, [65, 35])),
        ("binary, shifted rate", cat(43, 460, [65, 35]), cat(44, 300, [50, 50])),
        ("binary vs large batch", cat(45, 614, [70, 30]), cat(46, 30000, [68, 32])),
        ("all 0 against all 1", cat(47, 460, [1, 0]), cat(48, 300, [0, 1])),
    ]
    out = []
    for name, a, b in cases:
        x, y = np.array(sample(a)), np.array(sample(b))
        first = min(set(x.tolist()) | set(y.tolist()))
        r = (x != first).astype(float)
        c = (y != first).astype(float)
        n1, n2 = len(r), len(c)
        p1, p2 = r.sum() / n1, c.sum() / n2
        P = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
        p = 2 * (1 - stats.norm.cdf(np.abs(z)))
        out.append({"name": name, "reference": a, "current": b, "statistic": float(z), "pValue": float(p)})
    return out


def wasserstein_cases():
    cases = [
        ("tenths, shift", bell(51, 1200, 150, 100, 10), bell(52, 5000, 170, 100, 10)),
        ("integers, no shift", bell(53, 1500, 40, 40), bell(54, 3000, 40, 40)),
        ("tiny", literal([0.0, 1.0, 3.0]), literal([5.0, 6.0, 8.0])),
    ]
    out = []
    for name, a, b in cases:
        x, y = sample(a), sample(b)
        norm = max(np.std(x), 0.001)
        out.append({"name": name, "reference": a, "current": b,
                    "distance": float(stats.wasserstein_distance(x, y)), "normalized": float(stats.wasserstein_distance(x, y) / norm)})
    return out


def binned(x, y, numerical):
    """evidently get_binned_data(..., feel_zeroes=False)."""
    x, y = np.array(x), np.array(y)
    if numerical and len(set(x.tolist())) > 20:
        bins = np.histogram_bin_edges(np.concatenate([x, y]), bins="sturges")
        return np.histogram(x, bins)[0] / len(x), np.histogram(y, bins)[0] / len(y)
    keys = sorted(set(x.tolist()) | set(y.tolist()))
    return (np.array([np.sum(x == k) / len(x) for k in keys]), np.array([np.sum(y == k) / len(y) for k in keys]))


def js_cases():
    cases = [
        ("numerical tenths, sturges bins", bell(61, 1500, 150, 100, 10), bell(62, 4000, 160, 100, 10), True),
        ("numerical few values -> per value", bell(63, 1500, 0, 3), bell(64, 4000, 1, 3), True),
        ("categorical", cat(65, 1500, [10, 40, 30, 20]), cat(66, 4000, [10, 30, 30, 30]), False),
        # The current sample inside the reference's range, so the bins span the reference's; 1500 + 548 = 2^11 values
        # is exactly 12 Sturges bins (one more value would make 13).
        ("numerical, current inside the reference's range", bell(67, 1500, 150, 100, 10), bell(68, 548, 250, 40, 10), True),
    ]
    out = []
    for name, a, b, numerical in cases:
        p, q = binned(sample(a), sample(b), numerical)
        out.append({"name": name, "reference": a, "current": b, "numerical": numerical,
                    "distance": float(distance.jensenshannon(p, q, 2))})
    return out


PIMA_SEED = 20251126  # core/testing/pima-split.ts pimaSetup()
RAW_FEATURES = ["Pregnancies", "Glucose", "BloodPressure", "SkinThickness", "Insulin", "BMI",
                "DiabetesPedigreeFunction", "Age"]


def pima_path():
    """Where the tests find the file (core/testing/pima.ts): GLUCOSCREEN_PIMA, the pulled copy, the data remote."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if os.environ.get("GLUCOSCREEN_PIMA"):
        return os.environ["GLUCOSCREEN_PIMA"]
    candidates = [os.path.join(root, "training", "data", "diabetes.csv"),
                  os.path.join(root, "..", "shared", "data", "diabetes.csv")]
    return next((c for c in candidates if os.path.exists(c)), candidates[0])


def seeded_permutation(n, seed):
    rng = Mulberry32(seed)
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next_u32() % (i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def pima_cases():
    """KS on the raw Pima features: the 60% 'training' rows vs the other 40%, split as pimaSetup() splits them."""
    import csv
    try:
        with open(pima_path(), newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        return None
    order = seeded_permutation(len(rows), PIMA_SEED)
    cut = int(math.floor(len(rows) * 0.6 + 0.5))
    ref = [rows[i] for i in order[:cut]]
    cur = [rows[i] for i in order[cut:]]
    out = []
    for name in RAW_FEATURES:
        a = [float(r[name]) for r in ref]
        b = [float(r[name]) for r in cur]
        r = stats.ks_2samp(a, b, method="auto")
        out.append({"feature": name, "statistic": float(r.statistic), "pValue": float(r.pvalue)})

    # Engineered features as core/preprocess makes them: zeros in Glucose and BMI replaced by the median of the
    # training rows' non-zero values, right-inclusive bins, Glucose x BMI.
    def imputed(name, sample, median):
        return [median if float(r[name]) == 0 else float(r[name]) for r in sample]

    medians = {n: float(np.median([float(r[n]) for r in ref if float(r[n]) != 0])) for n in ["Glucose", "BMI"]}

    def engineered(sample):
        g = imputed("Glucose", sample, medians["Glucose"])
        b = imputed("BMI", sample, medians["BMI"])
        age = [float(r["Age"]) for r in sample]
        return {
            "BMI_Category": [float(sum(v > e for e in [18.5, 25, 30])) for v in b],
            "Age_Group": [float(sum(v > e for e in [30, 45, 60])) for v in age],
            "Glucose_BMI_Interaction": [x * y for x, y in zip(g, b)],
        }

    er, ec = engineered(ref), engineered(cur)
    chi = []
    for name in ["BMI_Category", "Age_Group"]:
        keys = sorted(set(er[name]) | set(ec[name]))
        k = len(ec[name]) / len(er[name])
        r = stats.chisquare([ec[name].count(key) for key in keys], [er[name].count(key) * k for key in keys])
        chi.append({"feature": name, "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    r = stats.ks_2samp(er["Glucose_BMI_Interaction"], ec["Glucose_BMI_Interaction"], method="auto")
    out.append({"feature": "Glucose_BMI_Interaction", "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    return {"seed": PIMA_SEED, "referenceRows": cut, "currentRows": len(rows) - cut, "ks": out, "chisquare": chi}


def main():
    doc = {
        "generatedBy": "scripts/python-oracles/derive_drift_reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "ks2samp": ks_cases(),
        "kstwoSf": kstwo_grid(),
        "smirnovSf": smirnov_grid(),
        "ksExactTwoSample": exact_two_sample_grid(),
        "incompleteGamma": gamma_grid(),
        "chi2Sf": chi2_grid(),
        "normalCdf": normal_grid(),
        "chiSquareGoodnessOfFit": chisquare_cases(),
        "chi2Contingency": contingency_cases(),
        "zTest": z_cases(),
        "wasserstein": wasserstein_cases(),
        "jensenShannon": js_cases(),
        "pimaSplit": pima_cases(),
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
