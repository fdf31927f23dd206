// The training loop: passes over the data with the learning rate the schedule gives, the costs
// reported, NaN stopping the run, validation and early stopping. The one loop behind
// `DeepNeuralNetwork.train` and the benchmark.

/// The record of one call to `TrainingEngine.run`.
struct TrainingRun {
    /// The reported passes (every `reportEvery`-th and the last).
    var reported: [CostRecord] = []
    /// The cost at every pass, and the validation cost after every pass when validating.
    var costs: [Double] = []
    var validationCosts: [Double] = []
    var stoppedEarly: String?
    /// After early stopping: the best pass (counted over every call) and its parameters.
    var best: (pass: Int, cost: Double, parameters: Parameters)?
}

extension TrainingEngine {
    /// Infinite costs in a row that stop training as diverging, unless the weights shrank meanwhile.
    static var divergenceRun: Int { 10 }

    /// Runs up to `options.iterations` passes (iterations, or epochs of mini-batches).
    ///
    /// Passes are numbered on from `passesBefore`, the passes of earlier calls (a resumed model),
    /// and the schedule continues from there. Under a decaying schedule each record carries the
    /// rate for the passes after it. `validate` (if any) measures held-out data with the parameters
    /// after each pass: its cost and accuracy go into the records, and with `patience` the run stops
    /// once the validation cost has not improved for that many passes. `progress` sees every pass
    /// and may stop the run. A NaN cost throws, naming the pass, and so do `divergenceRun`
    /// infinite costs in a row over which the weights did not shrink.
    func run(
        after passesBefore: Int = 0, report: (CostRecord) -> Void = { _ in },
        progress: ((CostRecord) -> TrainingDecision)? = nil,
        validate: ((Parameters) -> (cost: Double, accuracy: Double?))? = nil, patience: Int? = nil
    ) throws -> TrainingRun {
        var run = TrainingRun()
        run.costs.reserveCapacity(options.iterations)
        let passes = options.iterations, schedule = options.schedule, initial = options.learningRate
        let unit = options.miniBatchSize == nil ? "iteration" : "epoch"
        var rate = passesBefore == 0 ? initial : schedule.function.rate(initial: initial, afterEpoch: passesBefore - 1)
        var sinceBest = 0
        // The first pass of the current run of infinite costs, and ΣW² after it.
        var infiniteSince: (number: Int, squaredWeights: Double)?
        for pass in 0..<passes {
            let number = passesBefore + pass
            let cost = epoch(learningRate: rate)
            if cost.isNaN {
                throw DNNError("training stopped: the cost became NaN at \(unit) \(number)")
            }
            // A saturated output costs inf (log 0) while a weight is large. The course's "random"
            // initialisation starts there, 45 infinite iterations on its circles, and recovers
            // because the steps shrink the weights; unscaled data has isolated infinite passes.
            // Steps that diverge keep the cost infinite while the weights grow (or stay, their
            // units dead): ten infinite passes in a row without ΣW² falling below where the run
            // began stop training. ΣW² is measured only on infinite passes.
            if cost.isInfinite {
                let squaredWeights = parameters.layers.reduce(0) { $0 + $1.W.scalars.reduce(0) { $0 + $1 * $1 } }
                if let since = infiniteSince {
                    if number - since.number + 1 >= Self.divergenceRun, !(squaredWeights < since.squaredWeights) {
                        throw DNNError(
                            "training stopped: the cost has been infinite since \(unit) \(since.number) "
                                + "(the steps diverge; try a smaller learning rate)")
                    }
                } else {
                    infiniteSince = (number, squaredWeights)
                }
            } else {
                infiniteSince = nil
            }
            run.costs.append(cost)
            let decays = !schedule.isConstant
            if decays { rate = schedule.function.rate(initial: initial, afterEpoch: number) }
            var validation: (cost: Double, accuracy: Double?)?
            if let validate {
                let current = parameters
                let measured = validate(current)
                validation = measured
                run.validationCosts.append(measured.cost)
                if run.best == nil || measured.cost < run.best!.cost {
                    run.best = (number, measured.cost, current)
                    sinceBest = 0
                } else {
                    sinceBest += 1
                }
            }
            let record = CostRecord(
                iteration: number, cost: cost, learningRate: decays ? rate : nil, validationCost: validation?.cost,
                validationAccuracy: validation?.accuracy ?? nil)
            let last = pass == passes - 1
            var stop = progress?(record) == .stop
            if stop { run.stoppedEarly = "stopped by the caller after \(unit) \(number)" }
            if let patience, sinceBest >= patience, !last {
                stop = true
                run.stoppedEarly =
                    "early stopping after \(unit) \(number): no better validation cost for \(patience) \(unit)s"
            }
            if pass % options.reportEvery == 0 || last || stop {
                try requireSameParameters(after: number, unit: unit)
                run.reported.append(record)
                report(record)
            }
            if stop { break }
        }
        return run
    }

    /// Distributed: every process took the same steps, so their parameters must be the same, bit
    /// for bit. Checked at every reported pass: the sum of the parameters, its largest and
    /// smallest value over the processes. A difference stops training, naming the pass.
    func requireSameParameters(after number: Int, unit: String) throws {
        guard let communicator else { return }
        var sum = 0.0
        let workspace = self.workspace
        for index in 0..<layerCount {
            for k in 0..<workspace.W[index].count { sum += Double(workspace.W[index][k]) }
            for k in 0..<workspace.b[index].count { sum += Double(workspace.b[index][k]) }
        }
        var extremes = [sum, -sum]
        try communicator.maximum(&extremes, count: 2)
        guard extremes[0] == -extremes[1] else {
            throw DNNError(
                "distributed training stopped: the processes' parameters differ after \(unit) \(number) "
                    + "(checksums from \(-extremes[1]) to \(extremes[0]))")
        }
    }
}
