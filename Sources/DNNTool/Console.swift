import DNN
import Foundation

/// The command's output: the course's lines on standard output, and, when standard error is a
/// terminal, a progress bar with the current cost and the time left, redrawn in place.
final class Console {
    private let showsProgress = isatty(STDERR_FILENO) != 0
    private var barVisible = false
    private var lastDraw = Date.distantPast

    /// A line of output, kept clear of the progress bar.
    func line(_ text: String) {
        clearBar()
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Redraws the bar, at most ten times a second.
    func progress(_ record: CostRecord, of total: Int, since start: Date) {
        guard showsProgress else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || record.iteration == total - 1 else { return }
        lastDraw = now
        let done = record.iteration + 1
        let fraction = Double(done) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let remaining = now.timeIntervalSince(start) / Double(done) * Double(total - done)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = String(
            format: "\r[%@] %3d%%  iteration %d/%d  cost %.6f  %@ left", bar, Int(fraction * 100), done, total,
            record.cost, Self.duration(remaining))
        FileHandle.standardError.write(Data(text.utf8))
        barVisible = true
    }

    func finishProgress() { clearBar() }

    private func clearBar() {
        guard barVisible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        barVisible = false
    }

    private static func duration(_ seconds: Double) -> String {
        seconds < 60
            ? String(format: "%.0fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
