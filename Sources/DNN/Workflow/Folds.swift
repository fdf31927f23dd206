/// The folds of a k-fold cross-validation: each example's fold, 0…k−1, drawn from numpy's
/// generator so that a seed gives the same folds every run.
///
/// Classification is stratified: the examples of each class, in their order, are permuted
/// (`permutation`) and dealt to the folds in turn, the dealing carrying on from one class to the
/// next, so that every fold holds each class in proportion and the folds' sizes differ by one at
/// most. Other tasks: all examples permuted and dealt alike.
public enum Folds {
    /// Each example's fold for class labels `labels` (indices 0…K−1), `k` folds, from `seed`.
    public static func stratified(labels: [Int], k: Int, seed: UInt32) -> [Int] {
        var rng = NumPyRandom(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        var byClass = [Int: [Int]]()
        for (example, label) in labels.enumerated() { byClass[label, default: []].append(example) }
        var dealt = 0
        for label in byClass.keys.sorted() {
            let members = byClass[label]!
            for (place, index) in rng.permutation(members.count).enumerated() {
                fold[members[index]] = (dealt + place) % k
            }
            dealt += members.count
        }
        return fold
    }

    /// Each of `m` examples' fold, `k` folds, from `seed`, without regard to targets.
    public static func shuffled(examples m: Int, k: Int, seed: UInt32) -> [Int] {
        var rng = NumPyRandom(seed: seed)
        var fold = [Int](repeating: 0, count: m)
        for (place, example) in rng.permutation(m).enumerated() { fold[example] = place % k }
        return fold
    }

    /// The folds of `data` (stratified for classification): repeat r uses seed `seed + r`.
    public static func of(_ data: Dataset, k: Int, seed: UInt32) -> [Int] {
        data.task.kind == .classification
            ? stratified(labels: data.Y.scalars.map { Int($0) }, k: k, seed: seed)
            : shuffled(examples: data.exampleCount, k: k, seed: seed)
    }

    /// About `count` of `data`'s examples, drawn from `seed` (each class in proportion for
    /// classification, at least `minimumPerClass` of each, as scikit-learn's halving search
    /// subsamples with `stratify=y`), in their order: the rows a cross-validation on fewer
    /// examples uses.
    public static func subsample(_ data: Dataset, count: Int, minimumPerClass: Int, seed: UInt32) -> [Int] {
        let m = data.exampleCount
        guard count < m else { return Array(0..<m) }
        var rng = NumPyRandom(seed: seed)
        guard data.task.kind == .classification else { return rng.permutation(m).prefix(count).sorted() }
        var byClass = [Int: [Int]]()
        for (example, label) in data.Y.scalars.enumerated() { byClass[Int(label), default: []].append(example) }
        var rows = [Int]()
        for label in byClass.keys.sorted() {
            let members = byClass[label]!
            let share = Int((Double(members.count) * Double(count) / Double(m)).rounded())
            let taken = min(members.count, max(share, minimumPerClass))
            rows += rng.permutation(members.count).prefix(taken).map { members[$0] }
        }
        return rows.sorted()
    }
}
