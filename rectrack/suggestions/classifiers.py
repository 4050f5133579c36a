"""The suggestion models, trained from the recommendations an instance already holds (CPU only, nothing
downloaded), and the plain baseline they are measured against.

- `IssueModel`: multi-label (themes, issues…). TF-IDF word 1-3-grams and
  character 2-5-grams within words; one linear SVM per label, its positive
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


class IssueModel:
    """Multi-label suggestions with a score per label (above `THRESHOLD`: suggested)."""

    # Measured on UPR Info sessions 1-12 against 13-17: weighting positives by the square root of their rarity,
    # with this threshold, gave the best micro-F1 (0.892) while keeping macro-F1 (0.837); full balancing gave
    # 0.891 and 0.834 in twice the time.
    THRESHOLD = -0.1

    def __init__(self, *, C: float = 0.5):
        self.C = C

    def fit(self, texts: list[str], labels: list[tuple[str, ...]]) -> "IssueModel":
        self.features = _Features()
        self.binarizer = MultiLabelBinarizer()
        X, Y = self.features.fit_transform(texts), self.binarizer.fit_transform(labels)
        self.models = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for column in range(Y.shape[1]):
                target = Y[:, column]
                positives = int(target.sum())
                if 0 < positives < len(target):
                    weights = {1: ((len(target) - positives) / positives) ** 0.5, 0: 1.0}
                    self.models.append(LinearSVC(C=self.C, class_weight=weights).fit(X, target))
                else:
                    self.models.append(None)
        return self

    @property
    def labels(self) -> list[str]:
        return list(self.binarizer.classes_)

    def scores(self, texts: list[str]) -> np.ndarray:
        X = self.features.transform(texts)
        scores = np.full((X.shape[0], len(self.models)), -10.0)
        for column, model in enumerate(self.models):
            if model is not None:
                scores[:, column] = model.decision_function(X)
        return scores

    def predict(self, texts: list[str]) -> list[tuple[str, ...]]:
        scores = self.scores(texts)
        chosen = scores > self.THRESHOLD
        chosen[np.arange(len(scores)), scores.argmax(axis=1)] = True  # at least the best label
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
