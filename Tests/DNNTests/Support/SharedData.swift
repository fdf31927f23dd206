import Foundation
import Testing

/// The course's data files in `../shared/data` beside the package, when they are there.
/// Tests that need them are skipped (with this reason shown) when they are not.
enum SharedData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static var hasCatFiles: Bool {
        ["train_catvnoncat.h5", "test_catvnoncat.h5"].allSatisfy { FileManager.default.fileExists(atPath: path($0)) }
    }

    static let skipReason: Comment = "the course's cat files are not in ../shared/data; skipped"

    /// Whether scikit-learn's real data sets (digits, breast cancer) are in ../shared/data/real.
    static var hasRealData: Bool { FileManager.default.fileExists(atPath: path("real/breast_cancer_train.csv")) }
}

/// Small files made for the tests (`scripts/make-hdf5-fixtures.py`).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// A fresh temporary directory for one test.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "dnn-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A new file `name` holding `text`, alone in a fresh temporary directory; returns its path.
func temporaryFile(_ name: String, _ text: String) -> String {
    let path = temporaryDirectory() + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}
