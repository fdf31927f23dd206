extension DeepNeuralNetwork {
    /// Trains by full-batch gradient descent, as the course does, for `iterations` iterations.
    ///
    /// Every iteration computes the cost of the current parameters, then takes one step. The cost
    /// at iterations 0, `reportEvery`, 2·`reportEvery`, … and at the last iteration goes to
    /// `report` and into the returned history; `progress` (if any) sees every iteration.
    /// A cost that turns NaN stops training with an error naming the iteration, and the model
    /// keeps the parameters it had before `train` was called.
    ///
    /// `engine` picks the algorithm for the first layer (`auto`: the dual path when it is cheaper);
    /// `threads` caps the threads of the heavy products (default: all cores). Either path gives the
    /// same results up to rounding.
    ///
    /// Shapes: X is n[0]×m; Y is 1×m with labels 0…K−1 (0 and 1 for the course's model), or for
    /// regression and multi-label one row per target or label (`LearningTask.targetRows`).
    @discardableResult
    public mutating func train(
        _ X: Matrix, _ Y: Matrix, learningRate: Double, iterations: Int, reportEvery: Int = 100,
        precision: Precision = .float64, engine: EngineSelection = .auto, threads: Int? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> TrainingDecision)? = nil
    ) throws -> [CostRecord] {
        try train(
            X, Y,
            options: TrainingOptions(
                learningRate: learningRate, iterations: iterations, reportEvery: reportEvery, precision: precision,
                engine: engine, threads: threads),
            report: report, progress: progress)
    }

    /// Trains with every option (see `TrainingOptions`): mini-batches, L2, dropout, any optimiser and
    /// learning-rate schedule. Each pass (iteration or epoch) reports its cost as above; an infinite
    /// cost (a saturated wrong output) does not stop training, a NaN does. A second call continues
    /// from where the first stopped: the pass numbers, the optimiser's state and the schedule.
    ///
    /// With `validation`, the held-out cost and accuracy after every pass go into the records, and
    /// with its patience training stops early and the model keeps the parameters of the best pass.
    /// `progress` sees every pass and may stop training. X is raw: the model's standardisation, if
    /// any, is applied here.
    @discardableResult
    public mutating func train(
        _ X: Matrix, _ Y: Matrix, options: TrainingOptions, validation: Validation? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> TrainingDecision)? = nil
    ) throws -> [CostRecord] {
        try train(FeatureMatrix(X), Y, options: options, validation: validation, report: report, progress: progress)
    }

    /// The same on features in any form (`Dataset.features`): the engine converts them straight
    /// into its precision, so bytes are never widened to Double whole.
    ///
    /// With `communicator`, this process is one of a distributed job and X, Y its shard of the
    /// examples: every process starts from rank 0's parameters, and after each iteration the
    /// shards' gradient sums and costs are added up, so that every process takes the step the
    /// whole data gives, as one process holding all of it would: the same mini-batches and dropout
    /// masks (direct path; no validation yet). X must be the shard `Communicator.shard(of:)` names.
    ///
    /// `passesBegin` is called once everything is checked and the engine is set up (its buffers,
    /// the data in its precision, the plan), just before the first pass.
    ///
    /// With `weights` (one per example, 0 or more, not all 0), the cost is the weighted mean loss
    /// Σ wᵢ·lossᵢ / Σ wᵢ (scikit-learn's `sample_weight`; L2's term over Σ wᵢ for m) and the
    /// gradients its own: the direct path, one process.
    @discardableResult
    public mutating func train(
        _ X: FeatureMatrix, _ Y: Matrix, weights: [Double]? = nil, options: TrainingOptions,
        validation: Validation? = nil, communicator: Communicator? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> TrainingDecision)? = nil,
        passesBegin: () -> Void = {}
    ) throws -> [CostRecord] {
        if let weights { try Self.checkWeights(weights, examples: X.examples, source: "training data") }
        if weights != nil && communicator != nil { throw DNNError("--distributed: weights are not distributed yet") }
        if weights != nil && options.engine == .dual {
            throw DNNError(
                "the dual engine takes no weights (it keeps W1 in the span of unweighted examples); use --engine direct"
            )
        }
        var options = options
        var totalExamples = X.examples
        if let communicator {
            if validation != nil { throw DNNError("--distributed: validation is not distributed yet") }
            if options.engine == .dual {
                throw DNNError("--distributed: the dual engine needs XᵀX across shards; use --engine direct")
            }
            options.engine = .direct
            var count = Double(X.examples)
            try communicator.sum(&count, count: 1)
            totalExamples = Int(count)
            for index in parameters.layers.indices {
                try parameters.layers[index].W.scalars.withUnsafeMutableBufferPointer {
                    try communicator.broadcast($0.baseAddress!, count: $0.count)
                }
                try parameters.layers[index].b.scalars.withUnsafeMutableBufferPointer {
                    try communicator.broadcast($0.baseAddress!, count: $0.count)
                }
            }
        }
        try checkInput(X)
        try checkTargets(Y, examples: X.examples)
        try options.validate(examples: X.examples)
        if network.hasBatchNorm { try Self.checkBatchNormalization(options: options, examples: totalExamples) }
        try network.requireTrainingMemory(examples: X.examples, options: options)
        if let validation {
            try checkInput(validation.X, source: "validation data")
            if let weights = validation.weights {
                try Self.checkWeights(weights, examples: validation.X.cols, source: "validation data")
            }
            try checkTargets(validation.Y, examples: validation.X.cols, source: "validation data")
            if let patience = validation.patience, patience < 1 {
                throw DNNError("early stopping after \(patience) passes: must be at least 1")
            }
        }
        // Validation reads W1 after every pass, which the dual path would form each time: `auto`
        // takes the direct path when validating.
        let engineChoice = (validation != nil || weights != nil) && options.engine == .auto ? .direct : options.engine
        let plan = try TrainingPlan(
            layerSizes: layerSizes, examples: X.examples, iterations: options.iterations,
            precision: options.precision,
            engine: engineChoice, threads: options.threads,
            // A saved momentum is a plain v1, not the dual path's c·W1(0) + V·Xᵀ: resume it directly.
            allowsDual: options.allowsDualPath && !network.hasBatchNorm
                && !(optimizerState?.optimizer == options.optimizer && !(optimizerState?.moments.isEmpty ?? true)))
        let passesBefore = training?.iterations ?? 0
        guard passesBefore <= TrainingRecord.maximumPasses - options.iterations else {
            throw DNNError(
                "\(options.iterations) more passes after the model's \(passesBefore) would pass the most a model counts, "
                    + "\(TrainingRecord.maximumPasses)")
        }
        let model = self
        let targets = trainingTargets(Y)
        // Held-out data after every pass, on the engine's layer loop in the training precision:
        // the cost on the scale training sees, and the accuracy where the task has one.
        let validationTargets = validation.map { trainingTargets($0.Y) }
        func validate<Scalar: EngineScalar>(_: Scalar.Type) -> ((Parameters) -> (cost: Double, accuracy: Double?))? {
            guard let validation, let validationTargets else { return nil }
            let X = FeatureMatrix(validation.X)
            return { parameters in
                var trained = model
                trained.parameters = parameters
                let outputs = Predictor<Scalar>(model: trained).outputs(X)
                let cost = model.network.head.function.cost(outputs, validationTargets, weights: validation.weights)
                guard model.task.kind != .regression else { return (cost, nil) }
                let decisions = model.task.decisions(outputs)
                let correct = (0..<decisions.cols).filter { j in
                    (0..<decisions.rows).allSatisfy { decisions[$0, j] == validation.Y[$0, j] }
                }.count
                return (cost, Double(correct) / Double(decisions.cols))
            }
        }
        /// The same run in either precision.
        func train<Scalar: EngineScalar>(_: Scalar.Type) throws -> (TrainingRun, Parameters, OptimizerState, String) {
            let engine = TrainingEngine<Scalar>(
                parameters: parameters, features: X, standardization: standardization, Y: targets, plan: plan,
                options: options, network: network, resuming: optimizerState, communicator: communicator,
                totalExamples: totalExamples, weights: weights)
            passesBegin()
            let run = try engine.run(
                after: passesBefore, report: report, progress: progress, validate: validate(Scalar.self),
                patience: validation?.patience)
            return (run, engine.parameters, engine.optimizerState, engine.pathDescription)
        }
        let (run, trained, state, path) =
            try options.precision == .float64 ? train(Double.self) : train(Float.self)
        let restores = validation?.patience != nil && run.stoppedEarly?.hasPrefix("early stopping") == true
        parameters = restores ? run.best!.parameters : trained
        optimizerState = state
        training = TrainingRecord(
            learningRate: options.learningRate, iterations: run.costs.count + passesBefore,
            precision: options.precision, engine: plan.engine, costs: (training?.costs ?? []) + run.reported,
            miniBatchSize: options.miniBatchSize, optimizer: options.optimizer, l2: options.l2,
            keepProb: options.keepProb, schedule: options.schedule.isConstant ? nil : options.schedule,
            dropoutSeeding: options.keepProb < 1 ? options.dropoutSeeding : nil,
            history: (training?.history ?? []) + run.costs,
            validationHistory: validation == nil
                ? training?.validationHistory : (training?.validationHistory ?? []) + run.validationCosts,
            restoredPass: restores ? run.best!.pass : nil, stopReason: run.stoppedEarly, path: path,
            weighting: weights == nil ? nil : options.weighting ?? "weighted examples")
        return run.reported
    }

    /// Throws unless every batch of `examples` examples holds two or more (batch normalisation's
    /// variance over one example is 0: Ẑ would be 0 whatever the example) and the engine is not
    /// the dual path (which keeps W1 as a combination of X's columns, not Z's statistics).
    public static func checkBatchNormalization(options: TrainingOptions, examples: Int) throws {
        if options.engine == .dual {
            throw DNNError("the dual engine cannot batch-normalise (it never forms Z1 per batch); use --engine direct")
        }
        let size = min(options.miniBatchSize ?? examples, examples)
        guard size >= 2, examples % size != 1 else {
            let which = size < 2 ? "every batch holds" : "the last mini-batch of \(examples) examples holds"
            throw DNNError(
                "batch normalisation needs 2 examples or more in a batch, but \(which) 1 (its variance is undefined); "
                    + "choose another --mini-batch-size")
        }
    }

    /// Throws unless `weights` are one per example, finite, 0 or more, and not all 0.
    static func checkWeights(_ weights: [Double], examples m: Int, source: String) throws {
        guard weights.count == m else {
            throw DNNError("\(source): \(weights.count) weights for \(m) examples")
        }
        if let k = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
            throw DNNError("\(source): the weight of example \(k) is \(weights[k]); weights are finite, 0 or more")
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw DNNError("\(source): every weight is 0; at least one example must count")
        }
    }
}
