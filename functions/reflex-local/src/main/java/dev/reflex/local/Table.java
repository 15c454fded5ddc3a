package dev.reflex.local;

import java.util.List;

/** Renders a plain-text table for the terminal. */
public final class Table {
  private Table() {}

  public static String render(String[] headers, List<String[]> rows) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
      }
    }
    StringBuilder text = new StringBuilder();
    line(text, headers, widths);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    text.append(rule).append('\n');
    for (String[] row : rows) {
      line(text, row, widths);
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String[] cells, int[] widths) {
    for (int i = 0; i < cells.length; i++) {
      String cell = String.valueOf(cells[i]);
      text.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(widths[i] - cell.length()));
    }
    text.append('\n');
  }
}
