import DNN

/// The training data and the data held out from it, each in the training data's terms.
struct TrainingData {
    let train: Dataset
    let test: Dataset?
    let validation: Dataset?
    /// The warning about classes of the training data with too few examples, if any.
    var smallClasses: String? = nil
}

extension Train {
    /// Reads the training data (this process's shard when distributed; the built-in flower data
    /// without --train), then the test and validation data in its terms: their targets read as
    /// the training data's, class k and target row r the same in each. With `resumed`, the
    /// training data is read as that model's targets and must fit its input. `agree` sees the
    /// training data first (the distributed job's agreement, before anything else can fail on
    /// one process only).
    func loadData(
        resumed: DeepNeuralNetwork?, preset: Preset, shard: ((Int) -> Range<Int>)?, communicator: Communicator?,
        agree: (Dataset) throws -> Void
    ) throws -> TrainingData {
        let trainSource = train ?? "flower data"
        var trainSet =
            try train.map {
                try data.load(
                    $0, role: "train_set", like: resumed.map(KnownTargets.init),
                    weight: fit.weighting.sampleWeightColumn,
                    shard: shard)
            }
            ?? Dataset.flower().examples(shard: shard)
        try agree(trainSet)
        if let resumed, let resume {
            try resumed.checkInput(trainSet.features, source: trainSource)
            trainSet = try trainSet.relabeled(for: resumed.task, of: "the model \(resume)", source: trainSource)
        }
        // Test and validation data in the training data's terms: class k, target row r the same.
        func held(_ path: String, _ role: String) throws -> Dataset {
            let set = try data.load(
                path, role: role, like: KnownTargets(trainSet), weight: fit.weighting.sampleWeightColumn)
            try requireSameColumns(set, path, as: trainSet)
            return try set.relabeled(for: trainSet.task, of: "the training data", source: path)
        }
        let testSet = try heldOut.test.map { try held($0, "test_set") }
        var validationSet = try heldOut.validation.map { try held($0, "train_set") }
        // Before the validation split: the file's classes, as the user counts them.
        let smallClasses = communicator == nil ? TrainingWarnings.smallClasses(trainSet, source: trainSource) : nil
        if let fraction = heldOut.validationFraction
            ?? (heldOut.validation == nil ? preset.validationFraction(examples: trainSet.exampleCount) : nil)
        {
            (trainSet, validationSet) = try trainSet.split(validationFraction: fraction)
        }
        if outputs.boundaryPlot != nil && trainSet.featureCount != 2 {
            throw DNNError("--boundary-plot needs two features; the training data has \(trainSet.featureCount)")
        }
        if outputs.boundaryPlot != nil && trainSet.task.kind != .classification {
            throw DNNError(
                "--boundary-plot draws classes; the training data's targets are a \(trainSet.task.kind.rawValue)'s")
        }
        if outputs.boundaryPlot != nil && trainSet.classCount > DecisionBoundaryPlot.maximumClasses {
            throw DNNError(
                "--boundary-plot draws at most \(DecisionBoundaryPlot.maximumClasses) classes; the training data has \(trainSet.classCount)"
            )
        }
        if trainSet.task.kind == .classification {
            let present = trainSet.classesPresent
            guard present.count >= 2 || communicator != nil else {
                throw DNNError(
                    "\(trainSource): every example has label \(trainSet.classNames[present[0]]); a classifier needs two classes or more"
                )
            }
        }
        return TrainingData(train: trainSet, test: testSet, validation: validationSet, smallClasses: smallClasses)
    }

    /// Test and validation files must have the training file's features, by name where both name them.
    func requireSameColumns(_ set: Dataset, _ path: String, as trainSet: Dataset) throws {
        if let names = set.featureNames, let expected = trainSet.featureNames, names != expected {
            throw DNNError(
                "\(path): its feature columns (\(elided(names.joined(separator: ",")))) are not the training data's (\(elided(expected.joined(separator: ","))))"
            )
        }
        guard set.featureCount == trainSet.featureCount else {
            throw DNNError(
                "\(path): \(set.featureCount) features per example, but the training data has \(trainSet.featureCount)")
        }
    }
}
