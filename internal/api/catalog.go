package api

import "zhiyuan/internal/catalog"

// catalogKinds maps the URL names of the catalogues.
var catalogKinds = map[string]catalog.Kind{
	"service-categories": catalog.ServiceCategory,
	"tags":               catalog.Tag,
}

func catalogKind(name string) catalog.Kind { return catalogKinds[name] }

func knownCatalog(name string) bool {
	_, ok := catalogKinds[name]
	return ok
}
