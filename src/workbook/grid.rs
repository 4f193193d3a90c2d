//! A sheet's cells as a dense grid (row-major over their bounding box), built
//! as the cells stream in. calamine's `Range::from_sparse` needs the list of
//! every cell first and then a second, dense copy: at a hundred thousand
//! facility-years (five million cells) that list alone is some 200 MB, held
//! beside the copy. Cells of an xlsx sheet come row by row, so the grid grows
//! in place; only cells that come back to an earlier row (which the format
//! allows) fall back to collecting the list.

use calamine::Data;

/// A sheet's used range: `start` is the absolute (row, column) of its
/// top-left cell; positions given to [`Grid::get`] are relative to it.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Grid {
    start: (u32, u32),
    /// columns used
    width: usize,
    /// columns laid out per row (at least `width`: see [`Grid::widen`])
    stride: usize,
    height: usize,
    cells: Vec<Data>,
}

impl Grid {
    /// No cells.
    pub(super) fn empty() -> Grid {
        Grid::default()
    }

    /// Empty cells over `start..=end` (absolute, inclusive).
    pub(super) fn new(start: (u32, u32), end: (u32, u32)) -> Grid {
        let height = (end.0 - start.0) as usize + 1;
        let width = (end.1 - start.1) as usize + 1;
        Grid {
            start,
            width,
            stride: width,
            height,
            cells: vec![Data::Empty; width * height],
        }
    }

    /// Sets the cell at an absolute position inside the grid (outside it,
    /// nothing: callers size the grid to their cells first).
    pub(super) fn set_value(&mut self, (row, col): (u32, u32), d: Data) {
        let (Some(r), Some(c)) = (row.checked_sub(self.start.0), col.checked_sub(self.start.1))
        else {
            return;
        };
        let (r, c) = (r as usize, c as usize);
        if r < self.height && c < self.width {
            self.cells[r * self.stride + c] = d;
        }
    }

    /// The top-left cell's absolute position; `None` for an empty grid.
    pub(super) fn start(&self) -> Option<(u32, u32)> {
        (!self.cells.is_empty()).then_some(self.start)
    }

    pub(super) fn height(&self) -> usize {
        self.height
    }

    pub(super) fn width(&self) -> usize {
        self.width
    }

    /// The cell at (row, column) relative to [`Grid::start`].
    pub(super) fn get(&self, (row, col): (usize, usize)) -> Option<&Data> {
        if row < self.height && col < self.width {
            self.cells.get(row * self.stride + col)
        } else {
            None
        }
    }
}

/// Builds a [`Grid`] from non-empty cells in reading order.
#[derive(Default)]
pub(super) struct GridBuilder {
    /// The grid so far, while every cell has come at or below the last row.
    dense: Grid,
    /// The absolute row of the grid's last row.
    last_row: u32,
    /// Every cell, once one came back to an earlier row.
    sparse: Option<Vec<((u32, u32), Data)>>,
}

impl GridBuilder {
    /// A builder whose grid's top row is `start`'s (absolute), `width`
    /// columns wide from `start`'s column, with room for `rows` rows: a
    /// chunk of a table whose width is known is not grown by copying.
    /// Cells above or left of `start` are not expected (a cell above makes
    /// the grid start there after all, as any row out of order does).
    pub(super) fn starting_at(start: (u32, u32), width: usize, rows: usize) -> GridBuilder {
        let mut dense = Grid::new(start, (start.0, start.1 + width.max(1) as u32 - 1));
        dense.cells.reserve(rows * dense.stride);
        GridBuilder {
            dense,
            last_row: start.0,
            sparse: None,
        }
    }

    /// Adds a cell at an absolute position (empty cells need not be added).
    pub(super) fn push(&mut self, (row, col): (u32, u32), d: Data) {
        if let Some(cells) = &mut self.sparse {
            cells.push(((row, col), d));
            return;
        }
        let g = &mut self.dense;
        if g.cells.is_empty() {
            *g = Grid::new((row, col), (row, col));
            self.last_row = row;
        } else if row < self.last_row {
            self.go_sparse();
            return self.push((row, col), d);
        }
        let g = &mut self.dense;
        if col < g.start.1 || col as usize >= g.start.1 as usize + g.width {
            let first = g.start.1.min(col);
            let last = (g.start.1 as usize + g.width - 1).max(col as usize);
            g.widen(first, last - first as usize + 1);
        }
        if row > self.last_row {
            let more = (row - self.last_row) as usize;
            g.cells.resize(g.cells.len() + more * g.stride, Data::Empty);
            g.height += more;
            self.last_row = row;
        }
        g.set_value((row, col), d);
    }

    /// The grid of every cell added.
    pub(super) fn finish(self) -> Grid {
        match self.sparse {
            None => self.dense,
            Some(cells) => {
                let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0, u32::MAX, 0);
                for ((r, c), _) in &cells {
                    (r0, r1, c0, c1) = (r0.min(*r), r1.max(*r), c0.min(*c), c1.max(*c));
                }
                if cells.is_empty() {
                    return Grid::empty();
                }
                let mut g = Grid::new((r0, c0), (r1, c1));
                for (at, d) in cells {
                    g.set_value(at, d);
                }
                g
            }
        }
    }

    /// Moves the cells so far to the list (rows out of order: rare).
    fn go_sparse(&mut self) {
        let g = std::mem::take(&mut self.dense);
        let mut cells = Vec::new();
        for (i, d) in g.cells.into_iter().enumerate() {
            if d != Data::Empty {
                let (r, c) = (i / g.stride, i % g.stride);
                cells.push(((g.start.0 + r as u32, g.start.1 + c as u32), d));
            }
        }
        self.sparse = Some(cells);
    }
}

impl Grid {
    /// Spans columns `first..first + width` (a superset of its own): a cell
    /// left or right of every earlier one. Within the laid-out stride only
    /// the width moves; past it the grid is re-laid with room for half as
    /// many columns again, so a row that grows cell by cell is not re-laid
    /// at every cell.
    fn widen(&mut self, first: u32, width: usize) {
        if first == self.start.1 && width <= self.stride {
            self.width = width;
            return;
        }
        let stride = if first == self.start.1 {
            width.max(self.stride + self.stride / 2)
        } else {
            width
        };
        let shift = (self.start.1 - first) as usize;
        let mut cells = vec![Data::Empty; stride * self.height];
        for (i, d) in std::mem::take(&mut self.cells).into_iter().enumerate() {
            let (r, c) = (i / self.stride, i % self.stride);
            // the room past the used columns is empty and not carried over
            if c < self.width {
                cells[r * stride + c + shift] = d;
            }
        }
        self.cells = cells;
        self.stride = stride;
        self.width = width;
        self.start.1 = first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Data {
        Data::String(t.into())
    }

    type Placed = Vec<((u32, u32), Data)>;

    /// The grid's start and height, and (absolute position, cell) for every
    /// non-empty cell: what a reader sees.
    fn seen(g: &Grid) -> (Option<(u32, u32)>, usize, Placed) {
        let start = g.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for r in 0..g.height() {
            for c in 0..g.width() {
                if let Some(d) = g.get((r, c)).filter(|d| **d != Data::Empty) {
                    cells.push(((start.0 + r as u32, start.1 + c as u32), d.clone()));
                }
            }
        }
        (g.start(), g.height(), cells)
    }

    fn built(cells: &[((u32, u32), Data)]) -> Grid {
        let mut b = GridBuilder::default();
        for (at, d) in cells {
            b.push(*at, d.clone());
        }
        b.finish()
    }

    #[test]
    fn rows_in_order_with_gaps_and_a_column_to_the_left_keep_every_cell() {
        let cells = vec![
            ((1, 1), s("facility_id")),
            ((1, 2), s("year")),
            ((3, 1), s("CE1")),
            ((3, 2), Data::Float(2020.0)),
            ((4, 0), s("note at A5")),
            ((4, 6), Data::Int(7)),
        ];
        let g = built(&cells);
        let (start, height, got) = seen(&g);
        assert_eq!(start, Some((1, 0)));
        // rows 1 to 4, the empty row 2 kept
        assert_eq!(height, 4);
        assert_eq!(got, {
            let mut c = cells.clone();
            c.sort_by_key(|(at, _)| *at);
            c
        });
        assert_eq!(g.get((1, 1)), Some(&Data::Empty));
        assert_eq!(g.get((9, 0)), None);
    }

    #[test]
    fn a_cell_back_on_an_earlier_row_gives_the_same_grid() {
        let cells = vec![
            ((2, 0), s("b")),
            ((5, 3), Data::Int(1)),
            ((0, 1), s("above")),
            ((5, 0), s("c")),
        ];
        let (start, height, got) = seen(&built(&cells));
        assert_eq!(start, Some((0, 0)));
        assert_eq!(height, 6);
        let mut want = cells.clone();
        want.sort_by_key(|(at, _)| *at);
        assert_eq!(got, want);
    }

    #[test]
    fn a_column_to_the_left_after_the_row_grew_keeps_every_cell() {
        // the first row grows cell by cell (room is laid out past its last
        // column), then a cell left of all of them re-lays the grid
        let mut cells: Vec<_> = (1..8).map(|c| ((0, c), Data::Int(c.into()))).collect();
        cells.push(((1, 0), s("note")));
        let g = built(&cells);
        assert_eq!((g.start(), g.width()), (Some((0, 0)), 8));
        let (_, _, got) = seen(&g);
        assert_eq!(got, cells);
    }

    #[test]
    fn no_cells_is_the_empty_grid() {
        let g = built(&[]);
        assert_eq!((g.start(), g.height(), g.width()), (None, 0, 0));
    }

    #[test]
    fn a_row_growing_cell_by_cell_keeps_every_cell_and_its_width() {
        let cells: Vec<_> = (0..40).map(|c| ((0, c), Data::Int(c.into()))).collect();
        let g = built(&cells);
        assert_eq!(g.width(), 40);
        let (_, _, got) = seen(&g);
        assert_eq!(got, cells);
    }
}
