"""Kinds of copies the held-out sets hold, written for the tests (no publisher's text): one agency
story about an invented ferry fire, what outlets make of it, and look-alikes that copy nothing."""

WIRE_EN = """Ferry fire off Corsica: 43 passengers airlifted, two crew missing

AJACCIO, France (AFP) - A fire broke out on Tuesday night aboard the ferry Golfe d'Ambre off the west coast of Corsica, forcing the evacuation of 212 passengers, 43 of them by helicopter, the maritime prefecture said on Wednesday.

Two crew members were still missing on Wednesday morning and a search involving three navy vessels was under way about 18 nautical miles from Porto, prefecture spokeswoman Claire Vanucci told AFP.

The ship, operated by Compagnie Méridionale de Navigation, had left Marseille at 19:30 for Ajaccio. The fire started in the engine room shortly before midnight, according to the operator.

"The smoke came up through the stairs, and within minutes we were all on deck in life jackets," said Paolo Cristini, a 54-year-old passenger from Livorno.

Seven people, including a child, were treated for smoke inhalation at Ajaccio hospital. The regional prosecutor Hélène Marchetti opened an investigation on Wednesday.

The Golfe d'Ambre, built in 2004, passed its last safety inspection in March, the operator said."""

# A repost of the dispatch with an outlet's own paragraphs before and after it.
REPOST_WITH_ADDITIONS = """Corsica ferry fire: what we know so far

Our newsroom has been following the ferry emergency since late Tuesday. Readers in Bastia and Calvi reported seeing helicopters overhead for most of the night.

A fire broke out on Tuesday night aboard the ferry Golfe d'Ambre off the west coast of Corsica, forcing the evacuation of 212 passengers, 43 of them by helicopter, the maritime prefecture said on Wednesday.

Two crew members were still missing on Wednesday morning and a search involving three navy vessels was under way about 18 nautical miles from Porto, prefecture spokeswoman Claire Vanucci told AFP.

The ship, operated by Compagnie Méridionale de Navigation, had left Marseille at 19:30 for Ajaccio. The fire started in the engine room shortly before midnight, according to the operator.

"The smoke came up through the stairs, and within minutes we were all on deck in life jackets," said Paolo Cristini, a 54-year-old passenger from Livorno.

Seven people, including a child, were treated for smoke inhalation at Ajaccio hospital. The regional prosecutor Hélène Marchetti opened an investigation on Wednesday.

Local ferry unions have called a meeting for Thursday. The island's two other crossings to Marseille will run on schedule, the port authority said on its website, and passengers are advised to check departure times before travelling."""

# Another portal syndicating the story: the same opening paragraphs, then its own follow-up.
SYNDICATED = """Ferry fire off Corsica: 43 passengers airlifted, two crew missing

AJACCIO, France (AFP) - A fire broke out on Tuesday night aboard the ferry Golfe d'Ambre off the west coast of Corsica, forcing the evacuation of 212 passengers, 43 of them by helicopter, the maritime prefecture said on Wednesday.

Two crew members were still missing on Wednesday morning and a search involving three navy vessels was under way about 18 nautical miles from Porto, prefecture spokeswoman Claire Vanucci told AFP.

Shipping analysts say the route between the mainland and the island has seen a sharp rise in traffic since the spring, with older vessels brought back into service to meet demand. Several of them are due to be replaced within the next five years under a regional contract worth more than a billion euros.

The regional council will hold an emergency session on Friday, its president announced."""

# An aggregator's scrape that starts in the middle of the story and stops early.
SCRAPE_MID_ARTICLE = """The ship, operated by Compagnie Méridionale de Navigation, had left Marseille at 19:30 for Ajaccio. The fire started in the engine room shortly before midnight, according to the operator.

"The smoke came up through the stairs, and within minutes we were all on deck in life jackets," said Paolo Cristini, a 54-year-old passenger from Livorno.

Seven people, including a child, were treated for smoke inhalation at Ajaccio hospital. The regional prosecutor Hélène Marchetti opened an investigation on Wednesday.

Read more news on our site"""

# A machine translation into French of the English version.
MACHINE_TRANSLATION_FR = """Incendie d'un ferry au large de la Corse : 43 passagers hélitreuillés, deux membres d'équipage disparus

AJACCIO, France (AFP) - Un incendie s'est déclaré mardi soir à bord du ferry Golfe d'Ambre au large de la côte ouest de la Corse, forçant l'évacuation de 212 passagers, dont 43 par hélicoptère, a déclaré mercredi la préfecture maritime.

Deux membres d'équipage étaient toujours portés disparus mercredi matin et une recherche impliquant trois navires de la marine était en cours à environ 18 milles nautiques de Porto, a déclaré à l'AFP la porte-parole de la préfecture Claire Vanucci.

Le navire, exploité par la Compagnie Méridionale de Navigation, avait quitté Marseille à 19h30 pour Ajaccio. L'incendie a commencé dans la salle des machines peu avant minuit, selon l'opérateur.

« La fumée est montée par les escaliers, et en quelques minutes nous étions tous sur le pont en gilets de sauvetage », a déclaré Paolo Cristini, un passager de 54 ans originaire de Livourne.

Sept personnes, dont un enfant, ont été soignées pour inhalation de fumée à l'hôpital d'Ajaccio. La procureure régionale Hélène Marchetti a ouvert une enquête mercredi.

Le Golfe d'Ambre, construit en 2004, avait passé sa dernière inspection de sécurité en mars, a indiqué l'opérateur."""

# A sentence-by-sentence spun paraphrase: every sentence reworded, facts and order kept.
SPUN = """Blaze on Corsica ferry: 43 travellers flown out, pair of sailors unaccounted for

A blaze erupted late on Tuesday on board the Golfe d'Ambre ferry near Corsica's western shore, compelling 212 travellers to abandon ship, including 43 who were lifted out by chopper, maritime authorities stated on Wednesday.

As of Wednesday morning, a pair of sailors remained unaccounted for, and three navy ships were combing the sea roughly 18 nautical miles off Porto, Claire Vanucci, who speaks for the prefecture, explained.

Compagnie Méridionale de Navigation runs the vessel, which departed Marseille at 19:30 heading for Ajaccio. According to the company, flames first appeared in the engine room just before midnight.

Paolo Cristini, a traveller aged 54 from Livorno, recalled that smoke climbed the staircase and that everybody was on deck wearing life vests within minutes.

Seven individuals, a child among them, received care for breathing in smoke at the hospital in Ajaccio. Hélène Marchetti, the regional prosecutor, launched a probe on Wednesday.

The company noted that the Golfe d'Ambre, constructed in 2004, cleared its most recent safety check in March."""

# The same agency's Spanish service: a translation, lightly condensed and reordered.
WIRE_ES = """Incendio en un ferry frente a Córcega: 43 pasajeros evacuados en helicóptero y dos tripulantes desaparecidos

AJACCIO, Francia (AFP) - Un incendio se declaró el martes por la noche a bordo del ferry Golfe d'Ambre frente a la costa oeste de Córcega y obligó a evacuar a 212 pasajeros, 43 de ellos en helicóptero, informó el miércoles la prefectura marítima.

Dos tripulantes seguían desaparecidos el miércoles por la mañana y tres buques de la marina los buscaban a unas 18 millas náuticas de Porto, dijo a la AFP la portavoz de la prefectura, Claire Vanucci.

El barco, de la Compagnie Méridionale de Navigation, había salido de Marsella a las 19:30 rumbo a Ajaccio. El fuego comenzó en la sala de máquinas poco antes de la medianoche, según la naviera.

Siete personas, entre ellas un niño, fueron atendidas por inhalación de humo en el hospital de Ajaccio. La fiscal regional Hélène Marchetti abrió una investigación el miércoles.

"El humo subió por las escaleras y en pocos minutos estábamos todos en cubierta con chalecos salvavidas", relató Paolo Cristini, un pasajero de 54 años de Livorno."""

# A German agency dispatch, and the Belgian agency's French version of it: translated, trimmed, one paragraph moved.
DPA_DE = """Brand auf Fähre vor Korsika: 43 Passagiere per Hubschrauber gerettet

Ajaccio (dpa) - Auf der Fähre Golfe d'Ambre ist am Dienstagabend vor der Westküste Korsikas ein Feuer ausgebrochen. 212 Passagiere mussten das Schiff verlassen, 43 von ihnen wurden mit Hubschraubern geborgen, wie die Seepräfektur am Mittwoch mitteilte.

Zwei Besatzungsmitglieder wurden am Mittwochmorgen noch vermisst. Drei Schiffe der Marine suchten etwa 18 Seemeilen vor Porto nach ihnen, sagte Präfektursprecherin Claire Vanucci.

Das Schiff der Compagnie Méridionale de Navigation war um 19.30 Uhr in Marseille in Richtung Ajaccio ausgelaufen. Das Feuer brach nach Angaben der Reederei kurz vor Mitternacht im Maschinenraum aus.

Sieben Menschen, darunter ein Kind, wurden im Krankenhaus von Ajaccio wegen Rauchvergiftung behandelt. Die Staatsanwältin Hélène Marchetti leitete am Mittwoch Ermittlungen ein.

Die Golfe d'Ambre wurde 2004 gebaut und im März zuletzt überprüft."""

BELGA_FR = """Incendie sur un ferry au large de la Corse: 212 passagers évacués

Un incendie s'est déclaré mardi soir sur le ferry Golfe d'Ambre au large de la côte ouest de la Corse. Les 212 passagers ont dû quitter le navire et 43 d'entre eux ont été hélitreuillés, a indiqué mercredi la préfecture maritime.

Le navire de la Compagnie Méridionale de Navigation avait quitté Marseille à 19h30 pour Ajaccio. Le feu s'est déclaré peu avant minuit dans la salle des machines, selon l'armateur.

Deux membres d'équipage étaient toujours portés disparus mercredi matin. Trois bâtiments de la Marine les recherchaient à environ 18 milles nautiques de Porto, selon la porte-parole de la préfecture Claire Vanucci.

Sept personnes, dont un enfant, ont été soignées à l'hôpital d'Ajaccio pour une intoxication à la fumée. La procureure Hélène Marchetti a ouvert une enquête mercredi. (Belga)"""

# Look-alikes that are no copies: two outlets writing their own stories from the dispatch.
# Each opens with reporting of its own, rewrites the wire's lead and keeps two of its
# paragraphs verbatim between paragraphs of its own.
OWN_STORY_A = """Corsica: anguish in Porto as the search for two sailors goes on

In the small harbour of Porto, fishermen gathered on the quay at dawn on Wednesday, scanning the horizon for news. "Everyone here knows someone who works on those boats," said Antoine Leca, who has fished these waters for thirty years.

Two crew members were still missing on Wednesday morning and a search involving three navy vessels was under way about 18 nautical miles from Porto, prefecture spokeswoman Claire Vanucci told AFP.

The mayor of Porto opened the village hall overnight to passengers brought ashore by lifeboat, and volunteers handed out blankets and coffee until the early hours. Local hotels offered free rooms to families waiting for news.

Seven people, including a child, were treated for smoke inhalation at Ajaccio hospital. The regional prosecutor Hélène Marchetti opened an investigation on Wednesday.

Divers from Toulon were expected to join the search in the afternoon, the mayor told our reporter."""

OWN_STORY_B = """Ferry operator under pressure after Corsica fire

Questions mounted on Wednesday over the safety record of the island's main ferry company, a day after one of its ships caught fire with more than two hundred people on board. Union representative Marc-Antoine Susini said crews had warned management about ageing equipment last winter.

Two crew members were still missing on Wednesday morning and a search involving three navy vessels was under way about 18 nautical miles from Porto, prefecture spokeswoman Claire Vanucci told AFP.

The company did not respond to our requests for comment by the time of publication. Its chief executive is due to meet the regional council on Friday.

Seven people, including a child, were treated for smoke inhalation at Ajaccio hospital. The regional prosecutor Hélène Marchetti opened an investigation on Wednesday.

Transport minister Julien Roche is expected in Ajaccio on Thursday, his office said."""

# An outlet's story that replaces the wire's lead with its own, then runs the rest of the
# dispatch word for word: writing from the wire, as the labelled corpora count it, not a copy.
OWN_LEAD = """Two sailors missing after ferry blaze

Rescuers searched all night for two sailors after a blaze on a passenger ship near the island. Families gathered at the terminal in Bastia, hoping for news.

Two crew members were still missing on Wednesday morning and a search involving three navy vessels was under way about 18 nautical miles from Porto, prefecture spokeswoman Claire Vanucci told AFP.

The ship, operated by Compagnie Méridionale de Navigation, had left Marseille at 19:30 for Ajaccio. The fire started in the engine room shortly before midnight, according to the operator.

"The smoke came up through the stairs, and within minutes we were all on deck in life jackets," said Paolo Cristini, a 54-year-old passenger from Livorno.

Seven people, including a child, were treated for smoke inhalation at Ajaccio hospital. The regional prosecutor Hélène Marchetti opened an investigation on Wednesday."""

# Another story from the island the same week: same places and officials, another event.
OTHER_CORSICA_STORY = """Ajaccio port reopens after dockers' strike

The port of Ajaccio reopened on Monday after a four-day strike by dockers over pay, the chamber of commerce said. About 30 cargo ships had been waiting off the coast since Thursday.

Prefecture spokeswoman Claire Vanucci said an agreement had been signed on Sunday evening with the unions. Compagnie Méridionale de Navigation resumed its crossings to Marseille the same night.

The strike had left supermarket shelves in Porto and Calvi half empty over the weekend, local shopkeepers said."""
