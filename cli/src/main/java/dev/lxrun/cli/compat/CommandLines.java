package dev.lxrun.cli.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a suite line into words the way a POSIX shell would for simple commands: blanks
 * separate words, '…' is literal, "…" allows \" \\ \$ and $VAR, a backslash quotes the next
 * character, and $VAR / ${VAR} expand from the given variables. No globbing, pipes or
 * redirections: a test that needs them runs `sh -c '…'`, which keeps the runner exact.
 */
final class CommandLines {
    private CommandLines() {}

    static List<String> split(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inWord) { words.add(w.toString()); w.setLength(0); inWord = false; }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated ' in: " + line);
                w.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) throw new IllegalArgumentException("unterminated \" in: " + line);
                    char d = line.charAt(i);
                    if (d == '"') { i++; break; }
                    if (d == '\\' && i + 1 < line.length() && "\"\\$".indexOf(line.charAt(i + 1)) >= 0) {
                        w.append(line.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = expand(line, i, vars, w);
                    } else {
                        w.append(d);
                        i++;
                    }
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = expand(line, i, vars, w);
            } else {
                w.append(c);
                i++;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    /** Expands the variable at line[i] == '$' into w; returns the index after it. */
    private static int expand(String line, int i, Map<String, String> vars, StringBuilder w) {
        int start = i + 1;
        String name;
        int next;
        if (start < line.length() && line.charAt(start) == '{') {
            int end = line.indexOf('}', start);
            if (end < 0) throw new IllegalArgumentException("unterminated ${ in: " + line);
            name = line.substring(start + 1, end);
            next = end + 1;
        } else {
            int end = start;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) end++;
            name = line.substring(start, end);
            next = end;
        }
        if (name.isEmpty()) {
            w.append('$');
            return start;
        }
        String value = vars.get(name);
        // An unset variable is an error rather than "": a suite naming a binary by $DIR must not
        // quietly run something else.
        if (value == null) throw new IllegalArgumentException("$" + name + " is not set (in: " + line + ")");
        w.append(value);
        return next;
    }
}
