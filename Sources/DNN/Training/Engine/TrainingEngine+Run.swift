// The training loop: passes over the data with the learning rate the schedule gives, the costs
// reported, NaN stopping the run. The one loop behind `DeepNeuralNetwork.train` and the benchmark.

extension TrainingEngine {
    /// Runs `options.iterations` passes (iterations, or epochs of mini-batches) and returns the
    /// reported costs: passes 0, `reportEvery`, … and the last, counted from 0 in this call.
    ///
    /// `passesBefore` passes were run by earlier calls (a resumed model): the schedule continues
    /// from there. Under a decaying schedule each record carries the rate for the passes after it.
    /// A NaN cost throws, naming the pass.
    func run(
        after passesBefore: Int = 0, report: (CostRecord) -> Void = { _ in },
        progress: ((CostRecord) -> Void)? = nil
    ) throws -> [CostRecord] {
        var history = [CostRecord]()
        history.reserveCapacity(options.iterations / options.reportEvery + 2)
        let passes = options.iterations, schedule = options.schedule, initial = options.learningRate
        let unit = options.miniBatchSize == nil ? "iteration" : "epoch"
        var rate = passesBefore == 0 ? initial : schedule.function.rate(initial: initial, afterEpoch: passesBefore - 1)
        for pass in 0..<passes {
            let cost = epoch(learningRate: rate)
            if cost.isNaN {
                throw DNNError("training stopped: the cost became NaN at \(unit) \(pass)")
            }
            let decays = !schedule.isConstant
            if decays { rate = schedule.function.rate(initial: initial, afterEpoch: passesBefore + pass) }
            let record = CostRecord(iteration: pass, cost: cost, learningRate: decays ? rate : nil)
            if pass % options.reportEvery == 0 || pass == passes - 1 {
                history.append(record)
                report(record)
            }
            progress?(record)
        }
        return history
    }
}
