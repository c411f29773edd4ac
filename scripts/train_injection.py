#!/usr/bin/env python3
"""Train the shipped prompt-injection classifier, reproducibly, from the TRAIN splits only.

    A3M_DATA_DIR=/path/to/shared/data python scripts/train_injection.py [--out PATH] [--quick]

Data: deepset/prompt-injections train (546 rows, partly German) and jackhhao/jailbreak-
classification balanced train (1,044 rows), from `guardrail-injection/` (see its SOURCE.md),
plus synthetic benign instruction prompts from `scripts/benign_prompts.py` (3,000 texts:
code, SQL, writing, emails, chit-chat..., English and German) and synthetic injections from
`scripts/attack_prompts.py` (1,500 texts in nine attack classes, English and German plus
French, Spanish, Italian, Portuguese and Dutch, with the plain questions they are joined to
as benign rows). Test splits and the routing query sets are never read here. Texts go through
the same normalisation and hashed n-gram features as at run time
(`a3m_integrations.guardrails._text` / `_features`).

Model: L2-regularised logistic regression over distinct hashed n-grams, fitted with L-BFGS in
numpy. Each real source weighs the same in the loss and, within it, each class does too, so
neither data set's conventions dominate; the synthetic benign prompts weigh `synth` times one
real source, the synthetic attacks `attacks` times. Optional augmentation adds long benign
documents joined from jackhhao benign train texts (see `synth_benign`), and deepset attacks
hidden in benign texts (see `embed_attacks`). Hyperparameters are chosen by 5-fold
cross-validation, repeated with three fold seeds (see `evaluate_cv`, `choose`): jackhhao rows
stratified by label; deepset rows by group (a base prompt with its translation and the texts
it was joined into, see `near_duplicate_groups`), so a fold is scored on attacks its model
never saw in any wording; synthetic rows by template. A Platt calibration is fitted on the
out-of-fold margins, plus a decision offset picked on them (see `pick_shift`), so the shipped
probability is calibrated up to that offset. Seeds are fixed; the weights are identical run to
run (their SHA-256 is stored in the file's metadata).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import attack_prompts  # noqa: E402
import benign_prompts  # noqa: E402

from a3m_integrations.evaluation.datasets import data_dir  # noqa: E402
from a3m_integrations.guardrails._features import bucket_ids  # noqa: E402
from a3m_integrations.guardrails._labeled import load_injection_file  # noqa: E402
from a3m_integrations.guardrails._model import DEFAULT_MODEL_PATH, InjectionModel  # noqa: E402
from a3m_integrations.guardrails._rules import OBFUSCATION_WEIGHTS, match_rules  # noqa: E402
from a3m_integrations.guardrails._text import normalize, sanitize  # noqa: E402
from a3m_integrations.guardrails.injection import combine  # noqa: E402

SEED = 20240607
FOLDS = 5
REPEATS = 3  # cross-validations per setting, folds dealt by seeds SEED, SEED + 1, ...
NO_AUG_SOURCES = {0, 2, 3}  # deepset and the synthetic prompts are not joined into long documents
EMBED_SOURCES = (0,)  # deepset's attacks are short: they are also hidden in benign texts (`embed_attacks`)
SYNTH = 2  # source index of the synthetic benign prompts
SYNTH_NAME = "synthetic"
ATTACKS = 3  # source index of the synthetic attacks (scripts/attack_prompts.py) and their plain questions
ATTACKS_NAME = "synthetic attacks"
REAL = (0, 1)  # the labeled train splits: only their F1 selects settings
DEEPSET_GROUP_BASE = 1 << 20  # group ids of deepset rows (synthetic templates count from 0)
ATTACK_GROUP_BASE = 1 << 21
TRAIN_FILES = {
    "deepset": "guardrail-injection/deepset-prompt-injections/train-00000-of-00001-9564e8b05b4757ab.parquet",
    "jackhhao": "guardrail-injection/jackhhao-jailbreak/balanced/jailbreak_dataset_train_balanced.csv",
}
REAL_NAMES = tuple(TRAIN_FILES)


@dataclass
class Corpus:
    texts: list[str]
    normalized: list[str]
    y: np.ndarray  # 0/1
    source: np.ndarray  # index into names
    names: list[str]
    rule_weights: list[list[float]]
    group: np.ndarray | None = None  # fold unit of grouped rows (-1: stratified); see `folds`


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def near_duplicate_groups(texts: list[str], labels: list[int], n: int = 8, translated: int = 0) -> list[int]:
    """Group id of every text: texts sharing a run of `n` words, and translation pairs, group together.

    deepset's train split is a few base prompts, each also joined to other questions (so the
    joins share long word runs with it), and its first `translated` rows come back translated in
    the same order (row i and row i + `translated`, same label). Random folds put a base prompt
    in the training folds and its joins or translation in the held-out fold, which scores the
    model on sentences it has seen; folds by these groups score it on new ones.
    """
    parent = list(range(len(texts)))
    first: dict[tuple[str, ...], int] = {}
    for i, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        for k in range(len(words) - n + 1):
            j = first.setdefault(tuple(words[k : k + n]), i)
            parent[_root(parent, j)] = _root(parent, i)
    for i in range(min(translated, len(texts) - translated)):
        if labels[i] == labels[i + translated]:
            parent[_root(parent, i)] = _root(parent, i + translated)
    return [_root(parent, i) for i in range(len(texts))]


DEEPSET_TRANSLATED = 180  # deepset train: rows 0-179 in English, rows 180-359 their German translations


def load_corpus(
    synth_n: int = benign_prompts.DEFAULT_N, attack_n: int = attack_prompts.DEFAULT_N, echoes: bool = True
) -> Corpus:
    """The train splits (exact duplicates dropped), `synth_n` synthetic benign prompts, `attack_n` synthetic attacks.

    deepset rows are grouped by `near_duplicate_groups` for cross-validation; synthetic rows by template.
    `echoes=False` leaves out the attack templates that paraphrase deepset train rows (a leakage check).
    """
    texts: list[str] = []
    labels: list[int] = []
    sources: list[int] = []
    groups: list[int] = []
    names = [*TRAIN_FILES, SYNTH_NAME, ATTACKS_NAME]
    seen: set[str] = set()
    for si, name in enumerate(TRAIN_FILES):
        t, y = load_injection_file(data_dir() / TRAIN_FILES[name])
        near = near_duplicate_groups(t, y, translated=DEEPSET_TRANSLATED) if name == "deepset" else None
        for i, (text, label) in enumerate(zip(t, y)):
            if text in seen or not text.strip():
                continue  # exact duplicates would leak across folds
            seen.add(text)
            texts.append(text)
            labels.append(label)
            sources.append(si)
            groups.append(-1 if near is None else DEEPSET_GROUP_BASE + near[i])
    template_ids: dict[str, int] = {}
    for prompt in benign_prompts.generate(synth_n, benign_prompts.DEFAULT_SEED):
        if prompt.text in seen:
            continue
        seen.add(prompt.text)
        texts.append(prompt.text)
        labels.append(0)
        sources.append(SYNTH)
        groups.append(template_ids.setdefault(prompt.template, len(template_ids)))
    attacks = attack_prompts.generate(attack_n, attack_prompts.DEFAULT_SEED, echoes)
    attack_rows = [(a.text, 1, a.template) for a in attacks]
    attack_rows += [(q, 0, f"plain.{q}") for q in attack_prompts.plain_questions()] if attack_n else []
    for text, label, template in attack_rows:
        if text in seen:
            continue
        seen.add(text)
        texts.append(text)
        labels.append(label)
        sources.append(ATTACKS)
        groups.append(ATTACK_GROUP_BASE + template_ids.setdefault(template, len(template_ids)))
    normalized = []
    rule_weights = []
    for text in texts:
        norm = normalize(sanitize(text)[0])
        normalized.append(norm.text)
        ws = [r.weight for r in match_rules(norm.text)] + [OBFUSCATION_WEIGHTS[f] for f in norm.flags]
        rule_weights.append(ws)
    return Corpus(texts, normalized, np.array(labels), np.array(sources), names, rule_weights, np.array(groups))


@dataclass
class Design:
    ids: np.ndarray  # bucket of every n-gram occurrence, documents one after another
    starts: np.ndarray  # where each document's occurrences start
    lens: np.ndarray
    vals: np.ndarray  # feature value of every id: 1 / len(doc)**alpha
    dim: int


def featurize(normalized: list[str], bits: int) -> list[np.ndarray]:
    """Distinct feature buckets of every text (binary features, as the model reads them)."""
    return [np.unique(bucket_ids(t, bits)) for t in normalized]


def design(feats: list[np.ndarray], dim: int, alpha: float) -> Design:
    """Documents as one long array of distinct bucket ids; each is worth 1 / len(doc)**alpha."""
    lens = np.array([len(f) for f in feats])
    assert (lens > 0).all()
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    return Design(np.concatenate(feats), starts, lens, np.repeat(lens ** -float(alpha), lens), dim)


def synth_benign(
    feats: list[np.ndarray], rows: np.ndarray, y: np.ndarray, source: np.ndarray, share: float, seed: int
) -> tuple[list[np.ndarray], np.ndarray]:
    """Long benign documents made by joining benign training texts of one source.

    The train splits hold few long benign texts and many long jailbreaks, so a model learns
    "long means attack". Joining benign texts until they reach lengths drawn from that source's
    attacks breaks the shortcut. Features of a join are the union of its parts' features.
    deepset is left out: it labels several joined questions as one injection, so joined benign
    deepset texts would contradict its own labels.
    """
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    out_source: list[int] = []
    for src in np.unique(source[rows]):
        if src in NO_AUG_SOURCES:
            continue
        benign = rows[(source[rows] == src) & (y[rows] == 0)]
        attack = rows[(source[rows] == src) & (y[rows] == 1)]
        if len(benign) < 2 or not len(attack):
            continue
        target_lengths = np.array([len(feats[i]) for i in attack])
        for _ in range(int(share * len(benign))):
            target = rng.choice(target_lengths)
            parts: list[np.ndarray] = []
            total = 0
            for i in rng.permutation(benign):
                parts.append(feats[i])
                total += len(feats[i])
                if total >= target:
                    break
            if len(parts) > 1:
                out.append(np.unique(np.concatenate(parts)))
                out_source.append(int(src))
    return out, np.array(out_source, dtype=int)


def embed_attacks(
    feats: list[np.ndarray], rows: np.ndarray, y: np.ndarray, source: np.ndarray, share: float, seed: int
) -> tuple[list[np.ndarray], np.ndarray]:
    """Injections hidden in ordinary text: each joins one attack of a source with one benign text.

    An injection usually arrives inside content (a question, a document, a tool result), where
    the ordinary words around it dilute its features. Joining a training attack with a benign
    training text of the same source or a synthetic prompt, labelled attack, teaches the model
    to find the attack part. Only sources in EMBED_SOURCES (short attacks) are joined.
    """
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    out_source: list[int] = []
    for src in EMBED_SOURCES:
        attack = rows[(source[rows] == src) & (y[rows] == 1)]
        carrier = rows[((source[rows] == src) | (source[rows] == SYNTH)) & (y[rows] == 0)]
        if not len(attack) or not len(carrier):
            continue
        n = int(share * len(attack))
        picks = np.concatenate([rng.permutation(attack) for _ in range(n // len(attack) + 1)])[:n]
        for a, b in zip(picks, rng.choice(carrier, size=n)):
            out.append(np.unique(np.concatenate([feats[a], feats[b]])))
            out_source.append(int(src))
    return out, np.array(out_source, dtype=int)


def margins(d: Design, w: np.ndarray, b: float) -> np.ndarray:
    return np.add.reduceat(w[d.ids] * d.vals, d.starts) + b


def fit_lr(d: Design, y: np.ndarray, s: np.ndarray, lam: float, iters: int = 150) -> tuple[np.ndarray, float]:
    """Minimise sum_i s_i log(1 + exp(-y'_i z_i)) + lam/2 |w|^2 by L-BFGS (bias unpenalised)."""
    ysgn = np.where(y == 1, 1.0, -1.0)
    s = s / s.sum()

    def f_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = margins(d, w, b)
        m = -ysgn * z
        loss = float(np.sum(s * np.logaddexp(0.0, m)) + 0.5 * lam * w @ w)
        gz = -s * ysgn / (1.0 + np.exp(-m))
        gw = np.bincount(d.ids, weights=d.vals * np.repeat(gz, d.lens), minlength=d.dim) + lam * w
        return loss, np.concatenate([gw, [gz.sum()]])

    theta = np.zeros(d.dim + 1)
    loss, g = f_grad(theta)
    hist_s: list[np.ndarray] = []
    hist_y: list[np.ndarray] = []
    for _ in range(iters):
        q = g.copy()
        alphas = []
        for sv, yv in zip(reversed(hist_s), reversed(hist_y)):
            a = (sv @ q) / (yv @ sv)
            alphas.append(a)
            q -= a * yv
        if hist_s:
            q *= (hist_s[-1] @ hist_y[-1]) / (hist_y[-1] @ hist_y[-1])
        for (sv, yv), a in zip(zip(hist_s, hist_y), reversed(alphas)):
            bcoef = (yv @ q) / (yv @ sv)
            q += sv * (a - bcoef)
        direction = -q
        slope = g @ direction
        if slope >= 0:
            direction, slope = -g, -(g @ g)
        step = 1.0
        while True:
            new = theta + step * direction
            new_loss, new_g = f_grad(new)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        sv, yv = new - theta, new_g - g
        if sv @ yv > 1e-12:
            hist_s.append(sv)
            hist_y.append(yv)
            if len(hist_s) > 10:
                hist_s.pop(0)
                hist_y.pop(0)
        converged = abs(loss - new_loss) < 1e-9 * max(1.0, abs(loss))
        theta, loss, g = new, new_loss, new_g
        if converged or np.abs(g).max() < 1e-7:
            break
    return theta[:-1], float(theta[-1])


def sample_weights(y: np.ndarray, source: np.ndarray, synth: float = 1.0, attacks: float = 1.0) -> np.ndarray:
    """Each (source, class) cell weighs 1 in total; synthetic benign `synth`, synthetic attacks `attacks`."""
    s = np.zeros(len(y))
    for src in np.unique(source):
        for lab in (0, 1):
            mask = (source == src) & (y == lab)
            if mask.any():
                s[mask] = {SYNTH: synth, ATTACKS: attacks}.get(int(src), 1.0) / mask.sum()
    return s


def folds(y: np.ndarray, source: np.ndarray, k: int, seed: int, group: np.ndarray | None = None) -> np.ndarray:
    """Fold of every row: stratified by source and label; rows with a group (>= 0) fold by group.

    Groups are dealt largest first (ties in random order), each to the fold holding the fewest
    rows so far of its source and its majority label, so the folds stay balanced.
    """
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(y), dtype=int)
    grouped = np.zeros(len(y), dtype=bool) if group is None else group >= 0
    for src in np.unique(source):
        for lab in (0, 1):
            idx = np.flatnonzero((source == src) & (y == lab) & ~grouped)
            rng.shuffle(idx)
            fold[idx] = np.arange(len(idx)) % k
    if group is not None and grouped.any():
        ids, inverse, sizes = np.unique(group[grouped], return_inverse=True, return_counts=True)
        rows = np.flatnonzero(grouped)
        order = rng.permutation(len(ids))
        order = order[np.argsort(-sizes[order], kind="stable")]
        members: list[list[int]] = [[] for _ in ids]
        for row, gi in zip(rows.tolist(), inverse.tolist()):
            members[gi].append(row)
        load: dict[tuple[int, int], np.ndarray] = {}
        for gi in order.tolist():
            mine = np.array(members[gi])
            cell = (int(source[mine[0]]), int(y[mine].mean() >= 0.5))
            counts = load.setdefault(cell, np.zeros(k, dtype=int))
            f = int(np.argmin(counts))
            fold[mine] = f
            counts[f] += len(mine)
    return fold


def fit_platt(z: np.ndarray, y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """1-D weighted logistic regression of y on z by Newton's method."""
    a, c = 1.0, 0.0
    s = s / s.sum()
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(a * z + c)))
        r = s * (p - y)
        ga, gc = r @ z, r.sum()
        h = s * p * (1 - p)
        haa, hac, hcc = h @ (z * z) + 1e-9, h @ z, h.sum() + 1e-9
        det = haa * hcc - hac * hac
        da, dc = (hcc * ga - hac * gc) / det, (haa * gc - hac * ga) / det
        a, c = a - da, c - dc
        if abs(da) + abs(dc) < 1e-10:
            break
    return float(a), float(c)


def metrics(pred: np.ndarray, y: np.ndarray) -> dict[str, float]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    tn = int(((pred == 0) & (y == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "fpr": fp / (fp + tn) if fp + tn else 0.0}


def report(c: Corpus, scores: np.ndarray, label: str) -> dict[str, dict[str, float]]:
    """Per-source figures at 0.5 (the synthetic source is all benign: only its FPR counts)."""
    out = {}
    for si, name in enumerate(c.names):
        mask = c.source == si
        if mask.any():
            out[name] = metrics((scores[mask] >= 0.5).astype(int), c.y[mask])
    line = "  ".join(
        f"{n}: FPR {m['fpr']:.3f}"
        if n == SYNTH_NAME
        else f"{n}: R {m['recall']:.3f} FPR {m['fpr']:.3f}"
        if n == ATTACKS_NAME
        else f"{n}: F1 {m['f1']:.3f} P {m['precision']:.3f} R {m['recall']:.3f} FPR {m['fpr']:.3f}"
        for n, m in out.items()
    )
    print(f"  {label:<22} {line}", flush=True)
    return out


@dataclass(frozen=True)
class Params:
    bits: int = 18
    lam: float = 1e-4
    alpha: float = 0.5
    aug: float = 0.0  # long benign documents joined from jackhhao benign texts, per benign text
    iters: int = 150
    synth: float = 0.0  # weight of the synthetic benign prompts, relative to one real source
    embed: float = 0.0  # attacks joined with a benign text (see `embed_attacks`), per attack
    attacks: float = 0.0  # weight of the synthetic attacks (scripts/attack_prompts.py), relative to one real source


def fit(c: Corpus, feats: list[np.ndarray], rows: np.ndarray, pr: Params) -> tuple[np.ndarray, float]:
    """Weights and bias fitted on `rows` (synthetic rows only if `pr.synth`), plus joined long benign texts."""
    dim = 1 << pr.bits
    if not pr.synth:
        rows = rows[c.source[rows] != SYNTH]
    if not pr.attacks:
        rows = rows[c.source[rows] != ATTACKS]
    extra, extra_source = synth_benign(feats, rows, c.y, c.source, pr.aug, SEED + len(rows)) if pr.aug else ([], [])
    hidden, hidden_source = (
        embed_attacks(feats, rows, c.y, c.source, pr.embed, SEED + 1 + len(rows)) if pr.embed else ([], [])
    )
    all_feats = [feats[i] for i in rows] + extra + hidden
    y = np.concatenate([c.y[rows], np.zeros(len(extra), dtype=int), np.ones(len(hidden), dtype=int)])
    source = np.concatenate([c.source[rows], np.asarray(extra_source, dtype=int), np.asarray(hidden_source, dtype=int)])
    d = design(all_feats, dim, pr.alpha)
    return fit_lr(d, y, sample_weights(y, source, pr.synth, pr.attacks), pr.lam, pr.iters)


def cross_validate(c: Corpus, feats: list[np.ndarray], pr: Params, seed: int = SEED) -> np.ndarray:
    """Out-of-fold margins of every row (5 folds; jackhhao stratified, deepset by near-duplicate group,
    synthetic rows by template; `seed` deals the folds)."""
    fold = folds(c.y, c.source, FOLDS, seed, c.group)
    z = np.zeros(len(c.y))
    for k in range(FOLDS):
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        w, b = fit(c, feats, tr, pr)
        z[te] = margins(design([feats[i] for i in te], 1 << pr.bits, pr.alpha), w, b)
    return z


def long_benign_fpr(c: Corpus, scores: np.ndarray, min_chars: int = 1000) -> float:
    """CV false-positive rate on real benign train texts of at least `min_chars` characters."""
    mask = (c.y == 0) & np.isin(c.source, REAL) & (np.array([len(t) for t in c.texts]) >= min_chars)
    return float((scores[mask] >= 0.5).mean()) if mask.any() else 0.0


def selecting(names: list[str]) -> list[str]:
    """The sources whose mean F1 selects settings: the labeled train splits (any source but the synthetic ones)."""
    return [n for n in names if n not in (SYNTH_NAME, ATTACKS_NAME)]


FPR_CAP = 0.05  # CV false-positive rate allowed on every source (the target for the test splits)
SYNTH_FPR_CAP = 0.041  # on the synthetic benign prompts: no more than the 2026-11-23 model's 4.07%


def within_fpr_caps(per_source: dict[str, dict[str, float]]) -> bool:
    """CV false-positive rate <= FPR_CAP on every source, and <= SYNTH_FPR_CAP on the synthetic prompts.

    The synthetic prompts stand for ordinary requests (code, writing, planning); a setting that
    flags more of them than the previous model did flags more real ones too (2026-11-24: one at
    5.0% flagged 6 of the 200 A3M tier queries, against 3 for the previous model at 4.07%).
    """
    return all(m["fpr"] <= (SYNTH_FPR_CAP if n == SYNTH_NAME else FPR_CAP) for n, m in per_source.items())


SHIFTS = tuple(x / 4 for x in range(-6, 7))  # logit offsets tried by `pick_shift`
SHIFT_TOLERANCE = 0.005  # mean CV F1 an offset must gain over one nearer 0


def pick_shift(c: Corpus, logits: np.ndarray) -> float:
    """The offset added to the calibrated logit that sets the decision point, from OOF logits.

    The policy threshold stays 0.5; moving the model's logit by an offset moves where 0.5 falls.
    Of the offsets in SHIFTS whose CV false-positive rates (model + rules at 0.5) are within the
    caps (`within_fpr_caps`), the one nearest 0 among those within SHIFT_TOLERANCE of the best mean F1 over
    the real sources wins: an offset must buy more than CV noise. The Platt fit alone weighs
    errors both ways equally, which F1 does not.
    """

    def figures(shift: float) -> tuple[bool, float]:
        p = 1.0 / (1.0 + np.exp(-(logits + shift)))
        scores = np.array([combine(pi, ws) for pi, ws in zip(p, c.rule_weights)])
        per = {}
        for si, name in enumerate(c.names):
            mask = c.source == si
            if mask.any():
                per[name] = metrics((scores[mask] >= 0.5).astype(int), c.y[mask])
        f1 = float(np.mean([m["f1"] for n, m in per.items() if n in selecting(c.names)]))
        return within_fpr_caps(per), f1

    scored = {shift: figures(shift) for shift in SHIFTS}
    pool = [s for s, (ok, _) in scored.items() if ok] or list(SHIFTS)
    best = max(scored[s][1] for s in pool)
    return min((s for s in pool if scored[s][1] >= best - SHIFT_TOLERANCE), key=abs)


def tile(c: Corpus, n: int) -> Corpus:
    """`c` repeated `n` times (the out-of-fold predictions of `n` cross-validations, pooled)."""
    group = None if c.group is None else np.tile(c.group, n)
    y, source = np.tile(c.y, n), np.tile(c.source, n)
    return Corpus(c.texts * n, c.normalized * n, y, source, c.names, c.rule_weights * n, group)


def evaluate_cv(c: Corpus, feats: list[np.ndarray], pr: Params, repeats: int = REPEATS) -> dict[str, object]:
    """Out-of-fold figures of one setting: Platt fit on the OOF margins, model and model + rules.

    The cross-validation runs `repeats` times with folds dealt by different seeds; the out-of-fold
    margins of all runs are pooled (each row counts `repeats` times), so a figure is less the luck
    of one split of deepset's few groups.
    """
    z = np.concatenate([cross_validate(c, feats, pr, SEED + r) for r in range(repeats)])
    c = tile(c, repeats)
    a, cc = fit_platt(z, c.y, sample_weights(c.y, c.source, pr.synth, pr.attacks))
    shift = pick_shift(c, a * z + cc)
    cc += shift
    p = 1.0 / (1.0 + np.exp(-(a * z + cc)))
    print(f"{pr}: platt a={a:.3f} c={cc:.3f} (shift {shift:+.2f})", flush=True)
    model_cv = report(c, p, "CV model only")
    combined = np.array([combine(pi, ws) for pi, ws in zip(p, c.rule_weights)])
    comb_cv = report(c, combined, "CV model + rules")
    long_fpr = long_benign_fpr(c, combined)
    print(f"  CV FPR on benign texts >= 1,000 chars: {long_fpr:.3f}", flush=True)
    return {
        "params": pr,
        "a": a,
        "c": cc,
        "shift": shift,
        "model": model_cv,
        "combined": comb_cv,
        "long_benign_fpr": long_fpr,
    }


def _mean_f1(r: dict[str, object]) -> float:
    combined: dict[str, dict[str, float]] = r["combined"]  # type: ignore[assignment]
    return float(np.mean([m["f1"] for n, m in combined.items() if n in selecting(list(combined))]))


def choose(results: list[dict[str, object]]) -> dict[str, object]:
    """The setting to ship, from cross-validation only.

    Among settings whose CV FPRs are within the caps (`within_fpr_caps`; the synthetic prompts: their
    folds hold whole templates out, so ordinary requests count), those within 0.01 of the best
    mean CV F1 (model + rules, real sources) are near-ties; of these the one with the lowest CV
    false-positive rate on long benign texts wins (long tool results and documents are where a
    length shortcut hurts).
    """

    def ok(r: dict[str, object]) -> bool:
        return within_fpr_caps(r["combined"])  # type: ignore[arg-type]

    pool = [r for r in results if ok(r)] or results
    best = max(_mean_f1(r) for r in pool)
    near = [r for r in pool if _mean_f1(r) >= best - 0.01]
    return min(near, key=lambda r: (float(r["long_benign_fpr"]), -_mean_f1(r)))  # type: ignore[arg-type]


GRID = [
    Params(lam=1e-4, aug=0.5, synth=0.25, embed=0.5),  # the setting chosen on 2026-11-23
    Params(lam=3e-5, aug=0.5, synth=0.25, embed=0.5, attacks=0.5),
    Params(lam=1e-5, aug=0.5, synth=0.25, embed=0.5, attacks=0.5),
    Params(lam=3e-6, aug=0.5, synth=0.25, embed=0.5, attacks=0.5),
    Params(lam=1e-5, aug=0.5, synth=0.5, embed=0.5, attacks=0.5),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    ap.add_argument("--quick", action="store_true", help="skip the search; cross-validate and fit the given setting")
    ap.add_argument("--bits", type=int, default=18)
    ap.add_argument("--lam", type=float, default=1e-4)
    ap.add_argument("--aug", type=float, default=0.5)
    ap.add_argument("--synth", type=float, default=0.25)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--embed", type=float, default=0.0)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--attacks", type=float, default=0.0)
    ap.add_argument("--repeats", type=int, default=REPEATS, help="cross-validations per setting (fold seeds)")
    ap.add_argument("--no-echoes", action="store_true", help="leave out attack templates paraphrasing train rows")
    args = ap.parse_args()
    started = time.time()
    c = load_corpus(echoes=not args.no_echoes)
    print(f"train rows: {len(c.y)} ({', '.join(f'{n} {(c.source == i).sum()}' for i, n in enumerate(c.names))})")
    report(c, np.array([combine(0.0, ws) for ws in c.rule_weights]), "rules only (no CV)")
    given = Params(args.bits, args.lam, args.alpha, args.aug, args.iters, args.synth, args.embed, args.attacks)
    grid = [given] if args.quick else GRID
    feats_by_bits: dict[int, list[np.ndarray]] = {}
    results = []
    for pr in grid:
        feats = feats_by_bits.setdefault(pr.bits, featurize(c.normalized, pr.bits))
        results.append(evaluate_cv(c, feats, pr, args.repeats))
    best = choose(results)
    chosen = best["params"]
    assert isinstance(chosen, Params)
    pr = chosen
    print(f"chosen: {pr}")
    w, b = fit(c, feats_by_bits[pr.bits], np.arange(len(c.y)), pr)
    w16 = w.astype(np.float16)
    meta = {
        "version": 2,
        "params": {
            "bits": pr.bits,
            "l2": pr.lam,
            "alpha": pr.alpha,
            "aug": pr.aug,
            "iters": pr.iters,
            "synth": pr.synth,
            "embed": pr.embed,
            "attacks": pr.attacks,
        },
        "seed": SEED,
        "train": {n: TRAIN_FILES[n] for n in TRAIN_FILES},
        "synthetic": {
            "generator": "scripts/benign_prompts.py",
            "seed": benign_prompts.DEFAULT_SEED,
            "rows": int((c.source == SYNTH).sum()),
            "templates": len(benign_prompts.TEMPLATES),
        },
        "synthetic_attacks": {
            "generator": "scripts/attack_prompts.py",
            "seed": attack_prompts.DEFAULT_SEED,
            "rows": int(((c.source == ATTACKS) & (c.y == 1)).sum()),
            "plain_questions": int(((c.source == ATTACKS) & (c.y == 0)).sum()),
            "templates": len(attack_prompts.TEMPLATES),
            "train_echo_templates": 0 if args.no_echoes else len(attack_prompts.ECHOES_TRAIN),
        },
        "train_rows": int(np.isin(c.source, REAL).sum()),
        "features": "distinct byte 3/4/5-grams + word 1/2-grams, hashed; margin = sum(w[u]) / len(u)**alpha + bias",
        "cv_folds": FOLDS,
        "cv_repeats": args.repeats,
        "cv_scheme": "jackhhao stratified; deepset by near-duplicate and translation groups; synthetic by template",
        "cv_model": best["model"],
        "cv_combined": best["combined"],
        "cv_long_benign_fpr": best["long_benign_fpr"],
        "decision_shift": best["shift"],
        "cv_grid": [
            {
                "bits": r["params"].bits,  # type: ignore[attr-defined]
                "l2": r["params"].lam,  # type: ignore[attr-defined]
                "aug": r["params"].aug,  # type: ignore[attr-defined]
                "synth": r["params"].synth,  # type: ignore[attr-defined]
                "embed": r["params"].embed,  # type: ignore[attr-defined]
                "attacks": r["params"].attacks,  # type: ignore[attr-defined]
                "alpha": r["params"].alpha,  # type: ignore[attr-defined]
                "shift": r["shift"],
                "combined": r["combined"],
                "long_benign_fpr": r["long_benign_fpr"],
            }
            for r in results
        ],
        "weights_sha256": hashlib.sha256(w16.tobytes()).hexdigest(),
    }
    model = InjectionModel(w16.astype(np.float32), b, float(best["a"]), float(best["c"]), pr.alpha, meta)  # type: ignore[arg-type]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB) in {time.time() - started:.0f} s")
    print(json.dumps({"params": meta["params"], "weights_sha256": meta["weights_sha256"]}))
    return 0 if math.isfinite(b) else 1


if __name__ == "__main__":
    sys.exit(main())
