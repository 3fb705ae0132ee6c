"""Classification on embeddings: checked stratified splits and the few-label learning curve.

>>> from embedkit.classification import stratified_split
>>> [len(part) for part in stratified_split(["a", "b"] * 4, test_size=0.5)]
[4, 4]
"""

from embedkit.classification.few_labels import few_label_curve, stratified_split

__all__ = ["few_label_curve", "stratified_split"]
