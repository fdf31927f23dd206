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
}
