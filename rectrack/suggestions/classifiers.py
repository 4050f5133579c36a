"""The suggestion models, trained from the recommendations an instance already holds (CPU only, nothing
downloaded), and the plain baseline they are measured against.

- `IssueModel`: multi-label (themes, issues…). TF-IDF word 1-3-grams and
  character 2-5-grams within words; one linear SVM per label on the features
  scaled by that label's naive-Bayes log-count ratio (NB-SVM), its positive
  examples weighted by the square root of how much rarer they are, so rare
  labels are still suggested; every recommendation gets at least its best
  label.
- `ActionModel`: one of a few classes (UPR Info's action category). The same
  features, plus the first three words (the verb says most: "Continue",
  "Consider", "Ratify").
- `BaselineIssueModel`, `BaselineActionModel`: TF-IDF word 1-2-grams with
  one-vs-rest linear SVMs, the floor the models must clearly beat.
"""

import warnings

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def _first_words(text: str) -> str:
    return " ".join("first_" + word.casefold().strip(",.;:()") for word in text.split()[:3])


class _Features:
    """Word and character n-gram TF-IDF (and, for actions, the first words), fitted on the training texts."""

    def __init__(self, *, first_words: bool = False):
        self.parts = [
            (TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=2), None),
            (TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=3), None),
        ]
        if first_words:
            words = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 3))  # noqa: S106 - a regular expression
            self.parts.append((words, _first_words))

    def _texts(self, texts, prepare):
        return [prepare(text) for text in texts] if prepare else texts

    def fit_transform(self, texts: list[str]):
        return sparse.hstack(
            [vectorizer.fit_transform(self._texts(texts, prepare)) for vectorizer, prepare in self.parts]
        ).tocsr()

    def transform(self, texts: list[str]):
        return sparse.hstack(
            [vectorizer.transform(self._texts(texts, prepare)) for vectorizer, prepare in self.parts]
        ).tocsr()


def fit_label_columns(X, Y, *, C: float = 0.2) -> tuple[sparse.csr_matrix, np.ndarray]:
    """One linear SVM per column of the label matrix `Y`, on the features scaled for that label by its naive-Bayes
    log-count ratio (NB-SVM, Wang and Manning 2012: a feature seen mostly with the label, or mostly without it,
    weighs more), its positives weighted by the square root of how much rarer they are. Returns the weights
    (features x labels, the scaling folded in, small ones dropped so they keep as a sparse matrix) and the
    intercepts. A column with no positive (or no negative) example never scores above -10."""
    present = X.copy()
    present.data[:] = 1.0
    present = present.tocsc()
    documents_with = np.asarray(present.sum(axis=0)).ravel()
    present_rows = present.T.tocsr()
    weights = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    intercepts = np.full(Y.shape[1], -10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for column in range(Y.shape[1]):
            target = Y[:, column]
            target = (target.toarray() if sparse.issparse(target) else np.asarray(target)).ravel()
            positives = int(target.sum())
            if not 0 < positives < len(target):
                continue
            scale = _log_count_ratio(present_rows @ target, documents_with)
            balance = {1: ((len(target) - positives) / positives) ** 0.5, 0: 1.0}
            svm = LinearSVC(C=C, class_weight=balance, random_state=0).fit(X @ sparse.diags(scale), target)
            weights[:, column] = svm.coef_[0] * scale
            intercepts[column] = svm.intercept_[0]
    # Weights this small change no score by more than a few thousandths; dropping them makes the model a
    # tenth of its size.
    weights[np.abs(weights) < PRUNE_BELOW] = 0.0
    return sparse.csr_matrix(weights), intercepts


def _log_count_ratio(with_label: np.ndarray, with_feature: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """|log(p / q)| ** 0.5 per feature: p and q are how often the feature is in the label's documents and in the
    others' (binary counts, add-one smoothed). Measured on UPR Info sessions 1-10 against 11-12, the square root
    of the ratio gave the best figures."""
    without_label = with_feature - with_label
    p = (with_label + alpha) / (with_label + alpha).sum()
    q = (without_label + alpha) / (without_label + alpha).sum()
    return np.abs(np.log(p / q)) ** 0.5


PRUNE_BELOW = 1e-3


def choose_labels(scores: np.ndarray, threshold: float, *, at_most: int | None = None) -> np.ndarray:
    """The labels chosen from each row of scores: those above `threshold` (the best `at_most` of them), and at
    least the best one."""
    chosen = scores > threshold
    if at_most is not None and scores.shape[1] > at_most:
        cut = -np.sort(-scores, axis=1)[:, at_most - 1 : at_most]
        chosen &= scores >= cut
    chosen[np.arange(len(scores)), scores.argmax(axis=1)] = True
    return chosen


class IssueModel:
    """Multi-label suggestions with a score per label (above `THRESHOLD`: suggested)."""

    # Chosen on UPR Info sessions 1-10 against 11-12 (micro-F1 0.900, macro-F1 0.856), with the naive-Bayes
    # scaling and C below; on sessions 1-12 against 13-17 the model then scores 0.899 and 0.848, the baseline
    # 0.866 and 0.772.
    THRESHOLD = -0.15

    def __init__(self, *, C: float = 0.2):
        self.C = C

    def fit(self, texts: list[str], labels: list[tuple[str, ...]]) -> "IssueModel":
        self.features = _Features()
        self.binarizer = MultiLabelBinarizer(sparse_output=True)
        X, Y = self.features.fit_transform(texts), self.binarizer.fit_transform(labels).tocsc()
        self.weights, self.intercepts = fit_label_columns(X, Y, C=self.C)
        return self

    @property
    def labels(self) -> list[str]:
        return list(self.binarizer.classes_)

    def scores(self, texts: list[str]) -> np.ndarray:
        return np.asarray((self.features.transform(texts) @ self.weights).todense()) + self.intercepts

    def predict(self, texts: list[str]) -> list[tuple[str, ...]]:
        chosen = choose_labels(self.scores(texts), self.THRESHOLD)
        return [tuple(label for label, on in zip(self.labels, row, strict=True) if on) for row in chosen]


class ActionModel:
    """One class per recommendation."""

    def __init__(self, *, C: float = 0.3):
        self.C = C

    def fit(self, texts: list[str], labels: list[str]) -> "ActionModel":
        self.features = _Features(first_words=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model = LinearSVC(C=self.C, class_weight="balanced").fit(self.features.fit_transform(texts), labels)
        return self

    def predict(self, texts: list[str]) -> list[str]:
        return list(self.model.predict(self.features.transform(texts)))


class BaselineIssueModel:
    """TF-IDF word 1-2-grams, one-vs-rest linear SVMs."""

    def fit(self, texts: list[str], labels: list[tuple[str, ...]]) -> "BaselineIssueModel":
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        self.binarizer = MultiLabelBinarizer()
        Y = self.binarizer.fit_transform(labels)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", (ConvergenceWarning, UserWarning))
            self.model = OneVsRestClassifier(LinearSVC()).fit(self.vectorizer.fit_transform(texts), Y)
        return self

    def predict(self, texts: list[str]) -> list[tuple[str, ...]]:
        chosen = self.model.predict(self.vectorizer.transform(texts))
        return [tuple(self.binarizer.classes_[np.flatnonzero(row)]) for row in np.asarray(chosen)]


class BaselineActionModel:
    def fit(self, texts: list[str], labels: list[str]) -> "BaselineActionModel":
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model = LinearSVC().fit(self.vectorizer.fit_transform(texts), labels)
        return self

    def predict(self, texts: list[str]) -> list[str]:
        return list(self.model.predict(self.vectorizer.transform(texts)))


class Head:
    """The labels of one vocabulary kind: weights over the shared features, the threshold above which a label is
    suggested, and the logistic curve that turns a score into a confidence (fitted on held-out scores)."""

    def __init__(self, labels: list[str], weights: sparse.csr_matrix, intercepts: np.ndarray):
        self.labels = labels
        self.weights = weights
        self.intercepts = intercepts
        self.slope, self.offset = 2.0, 0.0

    def scores(self, X) -> np.ndarray:
        return np.asarray((X @ self.weights).todense()) + self.intercepts

    def calibrate(self, scores: np.ndarray, gold: np.ndarray) -> None:
        """Fit confidence = 1 / (1 + exp(-(slope * score + offset))) to whether each label was right."""
        from sklearn.linear_model import LogisticRegression

        flat, truth = scores.ravel(), gold.ravel().astype(int)
        if 0 < truth.sum() < len(truth):
            curve = LogisticRegression(C=10.0).fit(flat.reshape(-1, 1), truth)
            self.slope, self.offset = float(curve.coef_[0][0]), float(curve.intercept_[0])

    def confidence(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * scores + self.offset)))


class SuggestionModel:
    """The product's label model: the word and character features of `IssueModel`, fitted once on every text it
    learns from, and one `Head` per vocabulary kind (themes, affected persons, SDGs)."""

    THRESHOLD = IssueModel.THRESHOLD
    AT_MOST = 6  # labels suggested per recommendation and kind

    def __init__(self):
        self.heads: dict[str, Head] = {}

    def fit_features(self, texts: list[str]):
        self.features = _Features()
        return self.features.fit_transform(texts)

    def fit_head(self, kind: str, X, labels: list[tuple[str, ...]], *, C: float = 0.2) -> Head:
        binarizer = MultiLabelBinarizer(sparse_output=True)
        Y = binarizer.fit_transform(labels).tocsc()
        weights, intercepts = fit_label_columns(X, Y, C=C)
        head = self.heads[kind] = Head([str(label) for label in binarizer.classes_], weights, intercepts)
        return head

    def transform(self, texts: list[str]):
        return self.features.transform(texts)

    def suggest(self, kind: str, X) -> list[list[tuple[str, float]]]:
        """For each row of features, the labels of `kind` to suggest with their confidence, most confident first."""
        head = self.heads.get(kind)
        if head is None or X.shape[0] == 0:
            return [[] for _ in range(X.shape[0])]
        scores = head.scores(X)
        chosen = choose_labels(scores, self.THRESHOLD, at_most=self.AT_MOST)
        confidence = head.confidence(scores)
        found = []
        for row in range(scores.shape[0]):
            columns = np.flatnonzero(chosen[row])
            columns = columns[np.argsort(-scores[row, columns])]
            found.append([(head.labels[column], float(confidence[row, column])) for column in columns])
        return found
