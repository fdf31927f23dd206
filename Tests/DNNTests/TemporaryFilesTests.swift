import Foundation
import Testing

@testable import DNN

/// What SIGINT and SIGTERM do to a write under way: the handler removes every temporary file the
/// command registered and exits with 128 + the signal's number. Each case runs in a child process
/// (an exit test), since the handler ends the process it runs in.
@Suite("Temporary files under SIGINT and SIGTERM")
struct TemporaryFilesTests {
    @Test(
        "a signal during a write removes the temporary file and exits 128 + its number", arguments: [SIGINT, SIGTERM])
    func interruptedWrite(signal: Int32) async throws {
        let directory = temporaryDirectory()
        let temporary = directory + "/.model.json.tmp"
        let kept = directory + "/model.json"
        FileManager.default.createFile(atPath: kept, contents: Data("the previous model".utf8))
        await #expect(processExitsWith: .exitCode(128 + signal)) {
            [temporary = temporary as String, signal = signal as Int32] in
            FileManager.default.createFile(atPath: temporary, contents: Data("half of a model".utf8))
            TemporaryFiles.shared.register(temporary)
            TemporaryFiles.shared.removeOnInterrupt()
            raise(signal)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.json"])
        #expect(FileManager.default.contents(atPath: kept) == Data("the previous model".utf8))
    }
}
