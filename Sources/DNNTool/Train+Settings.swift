import ArgumentParser
import DNN
import Foundation

extension Train {
    /// Distributed: every process must run this command on the same data, with an example each
    /// at least; checked collectively before any step, so that the job stops at once, with one line.
    func requireAgreement(_ communicator: Communicator, _ trainSet: Dataset, examples: Int) throws {
        var agreement = JobAgreement()
        agreement.add("the command line", CommandLine.arguments.dropFirst().joined(separator: "\u{0}"))
        agreement.add("the training data's examples", examples)
        agreement.add("the training data's features", trainSet.featureCount)
        agreement.add(
            "the training data's targets", "\(trainSet.task.kind) " + trainSet.task.names.joined(separator: "\u{0}"))
        try agreement.require(over: communicator)
        guard examples >= communicator.size else {
            throw JobError(
                message: "\(communicator.size) processes for \(examples) training examples: each needs one at least; "
                    + "run at most \(examples) processes")
        }
    }

    /// The training options: the flags, or with --resume the saved settings where no flag is given
    /// (with a line for each flag that changes a saved setting).
    func settings(resuming saved: TrainingRecord?, dropoutSeed: UInt32) throws -> (
        TrainingOptions, [String]
    ) {
        var overrides = [String]()
        func pick<T: Equatable>(_ flag: T?, _ savedValue: T?, _ fallback: T, _ name: String) -> T {
            guard saved != nil else { return flag ?? fallback }
            let kept = savedValue ?? fallback
            guard let flag else { return kept }
            if flag != kept { overrides.append("Resuming with \(name) \(flag) instead of the saved \(kept).") }
            return flag
        }
        let flagOptimizer = improvements.optimizer == nil ? nil : try improvements.chosenOptimizer()
        let flagSchedule = improvements.decay == nil ? nil : try improvements.chosenSchedule()
        var miniBatch = improvements.miniBatchSize
        if let saved {
            if let flag = miniBatch, flag != saved.miniBatchSize {
                overrides.append(
                    "Resuming with --mini-batch-size \(flag) instead of the saved \(saved.miniBatchSize.map(String.init) ?? "full batch")."
                )
            }
            miniBatch = miniBatch ?? saved.miniBatchSize
        }
        let passes: Int
        if miniBatch != nil {
            passes = improvements.epochs ?? iterations ?? 2500
        } else {
            if improvements.epochs != nil {
                throw ValidationError("--epochs goes with --mini-batch-size; full-batch training counts --iterations")
            }
            passes = iterations ?? 2500
        }
        let options = TrainingOptions(
            learningRate: pick(
                network.learningRate, saved?.learningRate, NetworkOptions.defaultLearningRate, "--learning-rate"),
            iterations: passes, miniBatchSize: miniBatch,
            optimizer: pick(flagOptimizer, saved?.optimizer, .gradientDescent, "--optimizer"),
            schedule: pick(flagSchedule, saved?.schedule, .constant, "--decay"),
            l2: pick(improvements.regularization.l2, saved?.l2, 0, "--l2"),
            keepProb: pick(improvements.regularization.keepProb, saved?.keepProb, 1, "--keep-prob"),
            dropoutSeeding: pick(improvements.dropoutSeeding, saved?.dropoutSeeding, .fresh, "--dropout-seeding"),
            dropoutSeed: dropoutSeed, reportEvery: printEvery,
            precision: pick(engineOptions.precisionFlag, saved?.precision, .float64, "--precision"),
            engine: engineOptions.engine, threads: engineOptions.threads)
        return (options, overrides)
    }
}
