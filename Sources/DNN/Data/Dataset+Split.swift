extension Dataset {
    /// Splits off a validation set: from each class, the fraction `fraction` of its examples
    /// (rounded, at least one when the class has two or more), picked by numpy's `permutation`
    /// from a generator seeded with `seed`, so the split is stratified and the same every run.
    /// The examples keep their order in both parts. Regression and multi-label data is one group.
    public func split(validationFraction fraction: Double, seed: UInt32 = 0) throws -> (
        training: Dataset, validation: Dataset
    ) {
        guard fraction > 0, fraction < 1 else {
            throw DNNError("validation fraction \(fraction): must be between 0 and 1")
        }
        var rng = NumPyRandom(seed: seed)
        var held = Set<Int>()
        let stratified = task.kind == .classification
        for c in 0..<(stratified ? classCount : 1) {
            let members = (0..<exampleCount).filter { !stratified || Int(Y.scalars[$0]) == c }
            guard !members.isEmpty else { continue }
            var count = Int((fraction * Double(members.count)).rounded())
            if members.count >= 2 { count = min(max(count, 1), members.count - 1) } else { count = 0 }
            for index in rng.permutation(members.count).prefix(count) { held.insert(members[index]) }
        }
        let kept = (0..<exampleCount).filter { !held.contains($0) }
        guard !held.isEmpty, !kept.isEmpty else {
            throw DNNError("validation fraction \(fraction): leaves no examples on one side of \(exampleCount)")
        }
        return (try subset(kept), try subset(held.sorted()))
    }

    /// The examples `shard(m)` of the m (all of them without `shard`), with everything else the
    /// data carries, its classes included (a shard of distributed training).
    public func examples(shard: ((Int) -> Range<Int>)?) throws -> Dataset {
        guard let shard else { return self }
        return try subset(Array(shard(exampleCount)))
    }

    /// The examples `indices`, in that order, with everything else the data carries (its
    /// pipeline too: the rows are already encoded).
    public func subset(_ indices: [Int]) throws -> Dataset {
        var part = try Dataset(
            features: features.selecting(examples: indices),
            Y: Matrix(
                rows: Y.rows, cols: indices.count,
                scalars: (0..<Y.rows).flatMap { r in indices.map { Y.scalars[r * Y.cols + $0] } }),
            task: task, imageShape: imageShape, source: "data")
        part.featureNames = featureNames
        part.targetColumns = targetColumns
        part.ids = ids.map { ids in indices.map { ids[$0] } }
        part.sampleWeights = sampleWeights.map { weights in indices.map { weights[$0] } }
        part.hasLabels = hasLabels
        part.pipeline = pipeline
        return part
    }
}
