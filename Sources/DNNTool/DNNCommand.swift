import ArgumentParser
import DNN
import Foundation

/// `dnn`: train, inspect and use the course's deep network from the terminal.
@main
struct DNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dnn",
        abstract:
            "Train and use the deep neural network of the course \"Building your Deep Neural Network: Step by Step\".",
        discussion: """
            With no data file, `dnn train` trains on the course's built-in planar "flower" data set. \
            To train the course's cat classifier on its own files:

              dnn train --train train_catvnoncat.h5 --test test_catvnoncat.h5 --output cat.json
              dnn evaluate --model cat.json --data test_catvnoncat.h5
              dnn info --model cat.json

            Exit status: 0 on success, 1 when something goes wrong at run time (a file that cannot \
            be read, data that does not fit), 2 when the command line itself is wrong.
            """,
        version:
            "swift-dnn \(DeepNeuralNetwork.toolVersion) (model files up to version \(DeepNeuralNetwork.fileVersion))",
        subcommands: [
            Train.self, CrossValidate.self, Search.self, Predict.self, Evaluate.self, Info.self, Export.self,
            Import.self,
            Bench.self,
            GradCheck.self,
        ],
        defaultSubcommand: nil)

    /// Parses, runs, and maps every failure to its exit status and a one-line message.
    static func main() {
        TemporaryFiles.shared.removeOnInterrupt()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as DNNError {
            FileHandle.standardError.write(Data("dnn: \(rankPrefix)\(terminalSafe(error.message))\n".utf8))
            Foundation.exit(error.isUsage ? 2 : 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            if let exitCode = error as? ExitCode {
                Foundation.exit(exitCode.rawValue)
            }
            // Under mpirun every process parses the same command: rank 0 alone says what is wrong with it.
            if code == .validationFailure, let rank = mpiRank, rank != 0 { Foundation.exit(2) }
            if code == .validationFailure {
                // One line, like every other error; `--help` is where the usage lives.
                let message = self.message(for: error).split(separator: "\n")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
                FileHandle.standardError.write(
                    Data("dnn: \(terminalSafe(elided(negativeValueHint(message) ?? message, limit: 200)))\n".utf8))
                Foundation.exit(2)
            }
            // Any other failure happened at run time.
            FileHandle.standardError.write(Data("dnn: \(rankPrefix)\(terminalSafe("\(error)"))\n".utf8))
            Foundation.exit(1)
        }
    }

    /// This process's rank when `mpirun` started it (Open MPI, or another MPI's PMI), else nil.
    static var mpiRank: Int? {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"].lazy.compactMap { environment[$0].flatMap(Int.init) }
            .first
    }

    /// `rank 2: ` before the messages of a process other than rank 0 of an MPI job.
    static var rankPrefix: String { mpiRank.map { $0 == 0 ? "" : "rank \($0): " } ?? "" }

    /// ArgumentParser reads `--learning-rate -1` as an option without its value; no option of ours
    /// takes a negative number, so say that instead.
    static func negativeValueHint(_ message: String) -> String? {
        let arguments = CommandLine.arguments
        for (option, value) in zip(arguments, arguments.dropFirst())
        where option.hasPrefix("--") && message.contains("Missing value for '\(option) ") && Double(value) != nil {
            return "\(option): \(value) is not allowed (a negative number); every option takes 0 or more"
        }
        return nil
    }
}
