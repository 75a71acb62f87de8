package app

import (
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// RegisterFigures registers every domain's contribution to the figures
// with the engine: New does, and so does a command that rebuilds them
// without wiring the app (`zhiyuan stats rebuild`). A new subsystem with
// figures is added here.
func RegisterFigures() {
	stats.Register(volunteer.Figures, team.Figures, project.Figures, record.Figures)
}
