import Foundation
import XCTest

/// Ctrl-Z, `fg` and Ctrl-C at a real terminal: an interactive bash in a
/// pseudo-terminal (python3's `pty`) runs `retry`, as a user would.
final class JobControlTests: XCTestCase {
    static let session = """
        import os, pty, re, select, sys, time
        retry = sys.argv[1]
        pid, fd = pty.fork()
        if pid == 0:
            env = dict(os.environ, PS1="PROMPT> ", TERM="dumb")
            os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)
        seen = b""
        def clean_up():
            # Whatever is left of this terminal's session (a run that went
            # wrong); it would hold the test's pipes open.
            for entry in os.listdir("/proc"):
                try:
                    fields = open("/proc/%s/stat" % entry).read().rsplit(")", 1)[1].split()
                    if entry.isdigit() and int(fields[3]) == pid:
                        os.kill(int(entry), 9)
                except (OSError, IndexError, ValueError):
                    pass
        def expect(text, timeout=20):
            global seen
            end = time.time() + timeout
            while text.encode() not in seen:
                ready, _, _ = select.select([fd], [], [], max(0, end - time.time()))
                if not ready:
                    print("timed out waiting for %r after %r" % (text, seen[-300:]))
                    clean_up()
                    sys.exit(0)
                seen += os.read(fd, 4096)
            seen = seen[seen.index(text.encode()) + len(text):]
        def expect_pid(timeout=20):
            global seen
            end = time.time() + timeout
            while not re.search(rb"p0id=(\\d+)\\.", seen):
                ready, _, _ = select.select([fd], [], [], max(0, end - time.time()))
                if not ready:
                    print("timed out waiting for the pid after %r" % seen[-300:])
                    clean_up()
                    sys.exit(0)
                seen += os.read(fd, 4096)
            found = re.search(rb"p0id=(\\d+)\\.", seen)
            seen = seen[found.end():]
            return int(found.group(1))
        def state(pid):
            try:
                return open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[0]
            except OSError:
                return "gone"
        def send(text):
            os.write(fd, text.encode())
        expect("PROMPT> ")
        # The handshakes print ready2 and ready3, which the echoed command
        # lines do not contain.
        # Ctrl-Z stops the command and retry, and the shell prompts again;
        # fg gives the command the terminal back: it reads what is typed.
        send(retry + " -n 1 -- sh -c 'echo ready$((1+1)); read line; echo got $line'\\n")
        expect("ready2")
        send("\\x1a")
        expect("Stopped")
        expect("PROMPT> ")
        send("fg\\n")
        time.sleep(0.3)
        send("hello\\n")
        expect("got hello")
        send("echo status=$?\\n")
        expect("status=0")
        print("resumed")
        # Ctrl-C after fg ends the run with 130.
        # exec: a Ctrl-Z between dash's vfork and exec would stop the child
        # alone, with the shell stuck in vfork, and no stop to see.
        send(retry + " -n 3 -- sh -c 'echo ready$((2+1)); exec sleep 30'\\n")
        expect("ready3")
        send("\\x1a")
        expect("Stopped")
        expect("PROMPT> ")
        send("fg\\n")
        time.sleep(0.3)
        send("\\x03")
        send("echo status=$?\\n")
        expect("status=130")
        print("interrupted")
        # bg continues retry alone (the shell signals its job's group):
        # retry must continue the command's group. exec, as above; the read
        # returns only once the command holds the terminal, where Ctrl-Z reaches it.
        send(retry + " -n 1 -- sh -c 'read x; echo p$((0))id=$$.; exec sleep 30'\\n")
        send("go\\n")
        command = expect_pid()
        send("\\x1a")
        expect("Stopped")
        expect("PROMPT> ")
        if state(command) != "T":
            print("not stopped by Ctrl-Z")
        send("bg\\n")
        end = time.time() + 5
        while state(command) == "T" and time.time() < end:
            time.sleep(0.01)
        if state(command) == "T":
            print("still stopped after bg")
            clean_up()
            sys.exit(0)
        send("kill %1; wait %1; echo status=$?\\n")
        expect("status=143")
        print("continued")
        send("exit\\n")
        clean_up()
        """

    func testCtrlZStopsTheRunFgResumesItCtrlCEndsItAndBgContinuesIt() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "command -v python3 >/dev/null || { echo skip; exit 0; }; exec python3 -c \"$0\" \"$1\"",
                             Self.session, RetryBinary.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try XCTSkipIf(text == "skip\n", "python3 is not installed")
        XCTAssertEqual(text, "resumed\ninterrupted\ncontinued\n")
    }
}
