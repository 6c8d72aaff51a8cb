# A socketserver line echo server for NetworkProgramsTest: answers each line, one connection at a time.
import socketserver
import sys


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


with socketserver.TCPServer(("127.0.0.1", int(sys.argv[1])), Echo) as server:
    server.serve_forever()
