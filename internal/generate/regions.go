package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"zhiyuan/internal/region"
)

// weighted draws indexes with given weights.
type weighted struct{ cum []float64 }

func newWeighted(w []float64) weighted {
	cum := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		cum[i] = s
	}
	return weighted{cum: cum}
}

func (w weighted) draw(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	return min(sort.SearchFloat64s(w.cum, x), len(w.cum)-1)
}

// zipf returns n Zipf-like weights 1/(k+1)^s in an order shuffled by r, so
// which district is the big one depends on the seed.
func zipf(r *rand.Rand, n int, s float64) []float64 {
	w := make([]float64, n)
	for i, k := range r.Perm(n) {
		w[i] = 1 / math.Pow(float64(k+1), s)
	}
	return w
}

// district is a county-level region of the city with its streets.
type district struct {
	code, name  string
	streets     []string
	communities [][]string // per street
	streetW     weighted
}

// geography is the city's real regions with a city-like skew.
type geography struct {
	city      string
	districts []district
	distW     weighted
	counties  []string // every county code in China, for ID numbers of people born elsewhere
}

func newGeography(r *rand.Rand, city string) (*geography, error) {
	g := &geography{city: city}
	for _, c := range region.Children(city) {
		d := district{code: c.Code, name: c.Name}
		for _, s := range region.Children(c.Code) {
			d.streets = append(d.streets, s.Code)
			var comms []string
			for _, cm := range region.Children(s.Code) {
				comms = append(comms, cm.Code)
			}
			d.communities = append(d.communities, comms)
		}
		if len(d.streets) == 0 {
			continue
		}
		d.streetW = newWeighted(zipf(r, len(d.streets), 0.7))
		g.districts = append(g.districts, d)
	}
	if len(g.districts) == 0 {
		return nil, fmt.Errorf("generate: region %s has no districts with streets (give a city code such as 1201)", city)
	}
	g.distW = newWeighted(zipf(r, len(g.districts), 0.9))
	for _, p := range region.Children("") {
		for _, c := range region.Children(p.Code) {
			for _, cty := range region.Children(c.Code) {
				g.counties = append(g.counties, cty.Code)
			}
		}
	}
	return g, nil
}

// place draws a district and a street or community in it.
func (g *geography) place(r *rand.Rand, communityShare float64) (int, string) {
	di := g.distW.draw(r)
	d := &g.districts[di]
	si := d.streetW.draw(r)
	if comms := d.communities[si]; len(comms) > 0 && r.Float64() < communityShare {
		return di, comms[r.IntN(len(comms))]
	}
	return di, d.streets[si]
}

// birthCounty is the county code an ID number starts with: mostly the
// city's own districts, some from anywhere in China.
func (g *geography) birthCounty(r *rand.Rand, di int) string {
	switch x := r.Float64(); {
	case x < 0.6:
		return g.districts[di].code
	case x < 0.8:
		return g.districts[g.distW.draw(r)].code
	default:
		return g.counties[r.IntN(len(g.counties))]
	}
}
